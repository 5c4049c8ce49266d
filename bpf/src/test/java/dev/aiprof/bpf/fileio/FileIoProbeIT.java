package dev.aiprof.bpf.fileio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.ProcStat;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingBuffer;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.testing.FileIoSteps;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The file-I/O probe loaded for real, against a fixture process that does one kind of I/O per step
 * on a file of this test's own. After every step the probe's entry for that process must agree with
 * the kernel's accounting of it: bytes with {@code /proc/PID/io} (rchar and wchar, less the
 * fixture's command and answer on its pipes, which the probe does not count), page-cache misses
 * with the file's size in pages and with read_bytes, major faults with {@code majflt} of {@code
 * /proc/PID/stat}. Everything is filtered by the fixture's pid: other work on the host does I/O
 * too.
 */
@Requires(
    root = true,
    tools = "gcc",
    files = {"/sys/kernel/btf/vmlinux", "/sys/kernel/tracing/events/syscalls/sys_enter_read"})
@NoBpfLeaks
class FileIoProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Features FEATURES = new FeatureProber().probe();
  private static final int SIZE = 8 << 20;
  private static final int WRITE = 1 << 20;

  @Test
  void bytesMissesAndFaultsMatchTheKernelsAccountingOfTheProcess() throws Exception {
    Path dir =
        Files.createDirectories(Path.of("target/fileio-probe-it-" + ProcessHandle.current().pid()));
    Path file = dir.resolve("data.bin");
    writeSynced(file, SIZE);
    long pageSize = 1L << FileIoConfig.hostPageShift();
    long pages = SIZE / pageSize;
    List<SlowRead> slow = new ArrayList<>();
    List<FileIoSlot> slots = new ArrayList<>();
    Path exe = FileIoSteps.build(null);
    try (SchedProbe sched = SchedProbe.load(FEATURES, SchedConfig.builder().build());
        FileIoProbe probe =
            FileIoProbe.load(
                FEATURES,
                // every read an event (threshold 0), in a ring big enough for the host's reads too
                new FileIoConfig(
                    8 << 20,
                    0,
                    24,
                    16_384,
                    16_384,
                    (int) ProcessHandle.current().pid(),
                    FileIoConfig.hostPageShift()),
                sched);
        RingBuffer ring = RingBuffer.open(probe.events(), (a, n) -> slow.add(SlowRead.at(a)));
        FileIoSteps p = FileIoSteps.start(exe, TIMEOUT)) {
      assertThat(probe.traced()).contains(FileIoOp.READ, FileIoOp.PREAD64, FileIoOp.PREADV);
      assertThat(probe.pageCache()).isTrue();
      assertThat(probe.majorFaults())
          .as("major faults counted where perf events work: %s", probe.majorFaultsMissing())
          .isEqualTo(FEATURES.has(dev.aiprof.bpf.Feature.PERF_EVENT));
      sched.follow(p.pid());

      Step cold = step(probe, p, "cold " + file);
      assertThat(cold.did().value()).isEqualTo(SIZE);
      assertThat(cold.d().readBytes()).as("bytes read: the fixture's own count").isEqualTo(SIZE);
      assertThat(cold.d().readBytes())
          .as("bytes read: rchar less the command line")
          .isEqualTo(cold.io("rchar") - cold.command().length() - 1);
      long coldMisses = cold.d().pages(FileIoCause.READ) + cold.d().pages(FileIoCause.READAHEAD);
      assertThat(coldMisses)
          .as("a cold file: every page missed once")
          .isBetween(pages - pages / 20, pages + 8);
      assertThat(cold.d().pages(FileIoCause.READAHEAD))
          .as("a sequential read is mostly served by readahead")
          .isGreaterThan(pages / 2);
      assertThat(coldMisses * pageSize)
          .as("what it brought in, against read_bytes")
          .isBetween(cold.io("read_bytes") - 16 * pageSize, cold.io("read_bytes") + 16 * pageSize);
      ring.drain();
      long ino = (long) Files.getAttribute(file, "unix:ino");
      String dev = kernelDevice((long) Files.getAttribute(file, "unix:dev"));
      assertThat(slow)
          .as("slow reads (threshold 0) of the fixture name the file")
          .anySatisfy(
              r -> {
                assertThat(r.pid()).isEqualTo(p.pid());
                assertThat(r.ino()).isEqualTo(ino);
                assertThat(r.device()).isEqualTo(dev);
                assertThat(r.op()).isEqualTo(FileIoOp.READ);
                assertThat(r.followed()).isTrue();
              });

      Step warm = step(probe, p, "warm " + file);
      assertThat(warm.d().readBytes()).isEqualTo(SIZE);
      assertThat(warm.d().readBytes()).isEqualTo(warm.io("rchar") - warm.command().length() - 1);
      assertThat(warm.d().misses()).as("the file is cached now").isZero();

      Step mapped = step(probe, p, "mmap " + file);
      assertThat(mapped.majorFaults())
          .as("a cold file mapped with MADV_RANDOM: a major fault per page")
          .isBetween(pages - pages / 20, pages);
      assertThat(mapped.d().readBytes()).isZero();
      if (probe.majorFaults()) {
        assertThat(mapped.d().majorFaults())
            .as("major faults: majflt of /proc/PID/stat")
            .isEqualTo(mapped.majorFaults());
      }
      assertThat(mapped.d().pages(FileIoCause.OTHER)).as("faults outside reads").isPositive();

      Step write = step(probe, p, "write " + dir.resolve("out.bin") + " " + WRITE);
      assertThat(write.d().writeBytes()).isEqualTo(WRITE);
      assertThat(write.d().writeBytes())
          .as("bytes written: wchar less the answer line")
          .isEqualTo(write.io("wchar") - write.answer().length() - 1);

      probe.drainEnded(Long.MAX_VALUE, slots::add);
      List<FileIoSlot> mine = slots.stream().filter(s -> s.pid() == p.pid()).toList();
      assertThat(mine).as("slots of the followed fixture").isNotEmpty();
      assertThat(mine.stream().mapToLong(FileIoSlot::readBytes).sum()).isEqualTo(2L * SIZE);
      assertThat(mine.stream().mapToLong(FileIoSlot::writeBytes).sum()).isEqualTo(WRITE);
      assertThat(mine.stream().mapToLong(FileIoSlot::misses).sum())
          .isEqualTo(coldMisses + mapped.d().pages(FileIoCause.OTHER) + others(cold, warm, write));
      if (probe.majorFaults()) {
        assertThat(mine.stream().mapToLong(FileIoSlot::majorFaults).sum())
            .isEqualTo(
                cold.majorFaults()
                    + warm.majorFaults()
                    + mapped.majorFaults()
                    + write.majorFaults());
      }
      System.out.printf(
          "fileio probe IT: cold %d B, %d misses (%d readahead), read_bytes %d; warm %d B, %d"
              + " misses; mmap %d majflt, probe %d, %d pages other%n",
          cold.d().readBytes(),
          coldMisses,
          cold.d().pages(FileIoCause.READAHEAD),
          cold.io("read_bytes"),
          warm.d().readBytes(),
          warm.d().misses(),
          mapped.majorFaults(),
          mapped.d().majorFaults(),
          mapped.d().pages(FileIoCause.OTHER));
      assertThat(probe.counter(FileIoCounter.OTHER_FILES))
          .as("pipes and sockets skipped")
          .isPositive();
      ProcessKey key = ProcStat.read(HostPaths.defaults(), p.pid()).orElseThrow().key();
      assertThat(probe.stats().stream().filter(s -> s.pid() == p.pid()))
          .as("the fixture's entries name it by pid and start, as /proc/PID/stat does")
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.process()).isEqualTo(key));
      Predicate<ProcessKey> alive =
          k ->
              ProcStat.read(HostPaths.defaults(), k.pid())
                  .map(ProcStat::key)
                  .equals(Optional.of(k));
      List<FileIoStats> gone = new ArrayList<>();
      probe.forget(alive, gone::add);
      assertThat(gone)
          .as("nothing of the running fixture is forgotten")
          .noneMatch(s -> s.process().equals(key));
      assertThat(p.exit(TIMEOUT)).isZero();
      probe.forget(alive, gone::add);
      assertThat(gone)
          .as("its entries go when it exits")
          .anySatisfy(s -> assertThat(s.process()).isEqualTo(key));
      assertThat(probe.stats()).noneMatch(s -> s.process().equals(key));
    } finally {
      Files.deleteIfExists(dir.resolve("out.bin"));
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }

  private static long others(Step... steps) {
    long n = 0;
    for (Step s : steps) {
      n += s.d().pages(FileIoCause.OTHER);
    }
    return n;
  }

  /** One step: the command, what the fixture said, the probe's and the kernel's deltas. */
  private record Step(
      String command,
      FileIoSteps.Did did,
      FileIoStats d,
      Map<String, Long> ioDelta,
      long majorFaults) {
    long io(String key) {
      return ioDelta.get(key);
    }

    String answer() {
      return "did " + did.command() + " " + did.value() + " " + did.startNs() + " " + did.endNs();
    }
  }

  private static Step step(FileIoProbe probe, FileIoSteps p, String command) throws Exception {
    Map<String, Long> io0 = p.io();
    long mf0 = p.majorFaults();
    FileIoStats s0 = statsOf(probe, p.pid());
    FileIoSteps.Did did = p.run(command, TIMEOUT);
    Map<String, Long> io1 = p.io();
    long mf1 = p.majorFaults();
    FileIoStats s1 = statsOf(probe, p.pid());
    Map<String, Long> d = new java.util.HashMap<>();
    io1.forEach((k, v) -> d.put(k, v - io0.getOrDefault(k, 0L)));
    return new Step(command, did, minus(s1, s0), d, mf1 - mf0);
  }

  private static FileIoStats statsOf(FileIoProbe probe, int pid) {
    FileIoStats sum = zero(pid);
    for (FileIoStats s : probe.stats()) {
      if (s.pid() == pid) {
        sum = plus(sum, s);
      }
    }
    return sum;
  }

  private static FileIoStats zero(int pid) {
    return new FileIoStats(
        0,
        0,
        pid,
        0,
        new dev.aiprof.api.metrics.Log2Histogram(new long[FileIoAbi.HIST_SLOTS]),
        0,
        0,
        0,
        0,
        0,
        0,
        new long[FileIoAbi.CAUSES],
        0,
        0);
  }

  private static FileIoStats plus(FileIoStats a, FileIoStats b) {
    return combine(a, b, 1);
  }

  private static FileIoStats minus(FileIoStats a, FileIoStats b) {
    return combine(a, b, -1);
  }

  private static FileIoStats combine(FileIoStats a, FileIoStats b, int sign) {
    long[] pages = new long[FileIoAbi.CAUSES];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = a.pages()[i] + sign * b.pages()[i];
    }
    return new FileIoStats(
        a.cgroupId(),
        a.cgroupV1Id(),
        a.pid(),
        a.procStartNs(),
        a.readLatency(),
        a.reads() + sign * b.reads(),
        a.readBytes() + sign * b.readBytes(),
        a.readNs() + sign * b.readNs(),
        a.writes() + sign * b.writes(),
        a.writeBytes() + sign * b.writeBytes(),
        a.writeNs() + sign * b.writeNs(),
        pages,
        a.majorFaults() + sign * b.majorFaults(),
        a.slowReads() + sign * b.slowReads());
  }

  /** st_dev as user space sees it (new_encode_dev) → the kernel's major:minor. */
  private static String kernelDevice(long dev) {
    long major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >> 12) & ~0xffL);
    return major + ":" + minor;
  }

  private static void writeSynced(Path file, int size) throws IOException {
    byte[] chunk = new byte[1 << 16];
    new Random(14).nextBytes(chunk);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int at = 0; at < size; at += chunk.length) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      ch.force(true);
    }
  }
}
