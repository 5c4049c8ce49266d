package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
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
  private final StatFs statFs;
  private final Filters filters;
  private final LongSupplier clock;
  private final Path netDev;
  private Path root;
  volatile long failures;

  HostReader(
      HostPaths paths, StatFs statFs, Filters filters, boolean initNetns, LongSupplier clock) {
    this.paths = paths;
    this.statFs = statFs;
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
    List<HostReading.FileSystem> fs = mounts == null ? null : fileSystems(mounts);
    NetDev net = parse(netDev, NetDev::parse);
    List<NetDev.Interface> ifs =
        net == null ? null : filters.interfaces.keep(net.interfaces(), NetDev.Interface::name);
    return new HostReading(
        now,
        cpu,
        mem,
        paging,
        disks,
        fs,
        ifs,
        new HostReading.Over(
            disksOver, filters.fileSystems.lastOver(), filters.interfaces.lastOver()));
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
    return filters.disks.keep(candidates, DiskStats.Disk::name);
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

  /** Mounts not excluded by type or mount point, one per mount point (the last: on top), capped. */
  private List<HostReading.FileSystem> fileSystems(Mounts mounts) {
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
    Path root = root();
    List<HostReading.FileSystem> out = new ArrayList<>(capped.size());
    for (Mounts.Mount m : capped) {
      StatFs.Space s = statFs.space(root.resolve(m.mountPoint().substring(1)));
      if (s != null && s.total() > 0) {
        out.add(new HostReading.FileSystem(m, s));
      }
    }
    return out;
  }

  /**
   * Where mount points are statted: init's root ({@code PROCFS/1/root}, the host's file systems
   * also from a container with hostPID) when it can be statted, else the agent's own root.
   */
  private Path root() {
    if (root == null) {
      Path init = paths.proc("1", "root");
      root = statFs.space(init) != null ? init : Path.of("/");
    }
    return root;
  }

  private <T> T parse(Path file, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      failures++;
      return null;
    }
  }
}
