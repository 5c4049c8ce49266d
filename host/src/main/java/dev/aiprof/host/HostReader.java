package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Reads the host's files under {@link HostPaths} and hands the text to the pure parsers: {@code
 * /proc/stat}, {@code /proc/meminfo}, {@code /proc/vmstat}, {@code /proc/diskstats} (whole disks:
 * the names under {@code /sys/block}), {@code /proc/1/mounts} with {@code statvfs} of each mount
 * point seen from init's root ({@code /proc/1/root}), and {@code /proc/1/net/dev} (init's network
 * namespace: the host's, also from a container with hostPID) or {@code /proc/self/net/dev}.
 *
 * <p>Not thread-safe: one reading thread. A file that cannot be read leaves its part null and is
 * counted in {@link #failures}.
 */
final class HostReader {
  private final HostPaths paths;
  private final FileSystemReader fileSystems;
  private final Filters filters;
  private final LongSupplier clock;
  private final Path netDev;

  /**
   * diskstats: reads, merged, read bytes, read ms, writes, merged, write bytes, write ms, io ms.
   * The kernel's {@code diskstats_show} prints the counts and sectors as {@code %lu} and the times
   * (read, write, discard, flush ms; io_ticks; time in queue) as {@code %u}: they wrap at 2^32 ms
   * (49.7 days of summed request time, soon reached on a busy disk).
   */
  private final Unwrapped diskCounters =
      new Unwrapped(false, false, false, true, false, false, false, true, true);

  /**
   * net/dev: the kernel prints 64-bit counters, but a driver with 32-bit hardware or software
   * counters wraps them at 2^32; a device re-created under the same name starts again at zero.
   */
  private final Unwrapped netCounters =
      new Unwrapped(true, true, true, true, true, true, true, true);

  volatile long failures;

  HostReader(
      HostPaths paths,
      FileSystemReader fileSystems,
      Filters filters,
      boolean initNetns,
      LongSupplier clock) {
    this.paths = paths;
    this.fileSystems = fileSystems;
    this.filters = filters;
    this.clock = clock;
    this.netDev = initNetns ? paths.proc("1", "net", "dev") : paths.proc("self", "net", "dev");
  }

  HostReading read() {
    long now = clock.getAsLong();
    CpuTimes cpu = parse(paths.proc("stat"), CpuTimes::parse);
    Memory mem = parse(paths.proc("meminfo"), Memory::parse);
    Paging paging = parse(paths.proc("vmstat"), Paging::parse);
    DiskStats ds = parse(paths.proc("diskstats"), DiskStats::parse);
    List<DiskStats.Disk> disks = ds == null ? null : disks(ds);
    int disksOver = filters.disks.lastOver();
    Mounts mounts = parse(paths.proc("1", "mounts"), Mounts::parse);
    if (mounts != null) {
      fileSystems(mounts);
    }
    FileSystemReader.Result fs = fileSystems.latest();
    NetDev net = parse(netDev, NetDev::parse);
    List<NetDev.Interface> ifs =
        net == null
            ? null
            : monotonic(filters.interfaces.keep(net.interfaces(), NetDev.Interface::name));
    return new HostReading(
        now,
        cpu,
        mem,
        paging,
        disks,
        fs == null ? null : fs.fileSystems(),
        ifs,
        new HostReading.Over(disksOver, fs == null ? 0 : fs.over(), filters.interfaces.lastOver()));
  }

  /** Whole disks only (partitions have no /sys/block entry), not excluded, capped. */
  private List<DiskStats.Disk> disks(DiskStats ds) {
    Set<String> whole = blockDevices();
    List<DiskStats.Disk> candidates = new ArrayList<>();
    for (DiskStats.Disk d : ds.disks()) {
      if (whole == null || whole.contains(d.name())) {
        candidates.add(d);
      }
    }
    List<DiskStats.Disk> kept = filters.disks.keep(candidates, DiskStats.Disk::name);
    List<DiskStats.Disk> out = new ArrayList<>(kept.size());
    Set<String> names = new HashSet<>();
    for (DiskStats.Disk d : kept) {
      long[] v =
          diskCounters.apply(
              d.name(),
              d.reads(),
              d.readsMerged(),
              d.readBytes(),
              d.readMs(),
              d.writes(),
              d.writesMerged(),
              d.writeBytes(),
              d.writeMs(),
              d.ioMs());
      names.add(d.name());
      out.add(new DiskStats.Disk(d.name(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
    }
    diskCounters.retain(names);
    return out;
  }

  private List<NetDev.Interface> monotonic(List<NetDev.Interface> kept) {
    List<NetDev.Interface> out = new ArrayList<>(kept.size());
    Set<String> names = new HashSet<>();
    for (NetDev.Interface i : kept) {
      long[] v =
          netCounters.apply(
              i.name(),
              i.rxBytes(),
              i.rxPackets(),
              i.rxErrors(),
              i.rxDropped(),
              i.txBytes(),
              i.txPackets(),
              i.txErrors(),
              i.txDropped());
      names.add(i.name());
      out.add(new NetDev.Interface(i.name(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
    }
    netCounters.retain(names);
    return out;
  }

  private Set<String> blockDevices() {
    try (Stream<Path> s = Files.list(paths.sys("block"))) {
      Set<String> names = new HashSet<>();
      s.forEach(p -> names.add(p.getFileName().toString()));
      return names;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Mounts not excluded by type or mount point, one per mount point (the last: on top), capped,
   * handed to the file-system reader's own thread (statvfs can hang: never on this one).
   */
  private void fileSystems(Mounts mounts) {
    List<Mounts.Mount> kept = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Mounts.Mount> all = mounts.mounts();
    for (int i = all.size() - 1; i >= 0; i--) {
      Mounts.Mount m = all.get(i);
      if (filters.types.contains(m.type()) || !seen.add(m.mountPoint())) {
        continue;
      }
      kept.add(0, m);
    }
    List<Mounts.Mount> capped = filters.fileSystems.keep(kept, Mounts.Mount::mountPoint);
    fileSystems.request(
        new FileSystemReader.Request(
            capped, filters.fileSystems.lastOver(), paths.proc("1", "root")));
  }

  private <T> T parse(Path file, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(decode(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      failures++;
      return null;
    }
  }

  /**
   * The kernel's text as UTF-8, a malformed byte (an interface or mount point named in another
   * encoding) replaced by U+FFFD: that one name reads oddly, the rest of the file still counts. The
   * mount file's {@code \\ooo} escapes are decoded by {@link Mounts}.
   */
  static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
