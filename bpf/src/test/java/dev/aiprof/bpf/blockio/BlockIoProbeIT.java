package dev.aiprof.bpf.blockio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.nio.file.ExtendedOpenOption;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.CType;
import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.sched.SchedConfig;
import dev.aiprof.bpf.sched.SchedProbe;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Libc;
import dev.aiprof.testing.LoopDevice;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe loaded for real, against a loop device of the test's own: this thread's O_DIRECT reads
 * and writes are counted per direction exactly as the kernel's {@code /sys/block/loopN/stat} counts
 * them, on that device, for this process's cgroup, and (the process followed through the scheduler
 * probe's map) each comes back as an event with this thread's tid and its three times. Both
 * variants and both hook sets run: tp_btf with block_io_start/done where the kernel has them,
 * raw_tp with insert/complete.
 */
@Requires(root = true, tools = "losetup", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class BlockIoProbeIT {
  private static final Features FEATURES = new FeatureProber().probe();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int READS = 24;
  private static final int READ_BYTES = 64 << 10;
  private static final int WRITES = 12;
  private static final int WRITE_BYTES = 128 << 10;

  @TempDir Path dir;

  @Test
  void theKernelsHooksCountThisThreadsDirectIoAsTheDiskStatDoes() throws Exception {
    BlockIoProbe.Hooks hooks = BlockIoProbe.hooks();
    if (Files.exists(Path.of("/sys/kernel/tracing/events/block/block_io_start"))) {
      assertThat(hooks).isEqualTo(new BlockIoProbe.Hooks("block_io_start", true));
    }
    run(BlockIoProbe.chooseVariant(FEATURES), hooks);
  }

  /**
   * Entries written into the real in-flight map under keys no request has (a request's address is a
   * kernel pointer): the prune takes out the stale one only, and the followed ones are listed.
   */
  @Test
  void pruneTakesOutOnlyStaleInflightEntriesAndFollowedOnesAreListed() {
    int pid = 0x7fff_fff0;
    long now = System.nanoTime();
    long old = now - Duration.ofSeconds(60).toNanos();
    try (BlockIoProbe probe = BlockIoProbe.load(FEATURES, BlockIoConfig.defaults(), null);
        Arena a = Arena.ofConfined()) {
      BpfMap m = probe.inflightMap();
      put(m, a, 1, old, pid, 1, true);
      put(m, a, 3, now, pid, 3, true);
      put(m, a, 5, now, pid, 5, false);
      assertThat(probe.inflightRequests())
          .contains(new InflightRequest(pid, 1, old), new InflightRequest(pid, 3, now))
          .noneMatch(r -> r.pid() == pid && r.tid() == 5);
      assertThat(probe.pruneInflight(now - Duration.ofSeconds(30).toNanos()))
          .as("the one stale entry (the host's own requests are younger)")
          .isGreaterThanOrEqualTo(1);
      assertThat(has(m, a, 1)).isFalse();
      assertThat(has(m, a, 3)).isTrue();
      assertThat(has(m, a, 5)).isTrue();
      assertThat(probe.restoredInflight()).isZero();
    }
  }

  private static void put(
      BpfMap m, Arena a, long key, long startNs, int pid, int tid, boolean followed) {
    MemorySegment v = a.allocate(m.valueBufferSize(), 8);
    v.set(JAVA_LONG, BlockIoAbi.REQ.offset("start_ts", CType.U64), startNs);
    v.set(JAVA_INT, BlockIoAbi.REQ.offset("pid", CType.U32), pid);
    v.set(JAVA_INT, BlockIoAbi.REQ.offset("tid", CType.U32), tid);
    v.set(JAVA_BYTE, BlockIoAbi.REQ.offset("followed", CType.U8), (byte) (followed ? 1 : 0));
    m.update(a.allocateFrom(JAVA_LONG, key), v, 0);
  }

  private static boolean has(BpfMap m, Arena a, long key) {
    return m.lookup(a.allocateFrom(JAVA_LONG, key), a.allocate(m.valueBufferSize(), 8));
  }

  @Test
  void theRawTracepointFallbackWithInsertAndCompleteCountsTheSame() throws Exception {
    run(BlockIoProbe.Variant.RAW_TP, new BlockIoProbe.Hooks("block_rq_insert", false));
  }

  private void run(BlockIoProbe.Variant variant, BlockIoProbe.Hooks hooks) throws Exception {
    int pid = (int) ProcessHandle.current().pid();
    ConcurrentLinkedQueue<BlockIoRequest> events = new ConcurrentLinkedQueue<>();
    try (LoopDevice loop = LoopDevice.create(dir, 16 << 20);
        SchedProbe sched = SchedProbe.load(FEATURES, SchedConfig.builder().build());
        BlockIoProbe probe =
            BlockIoProbe.load(variant, hooks, BlockIoConfig.defaults().withSlowNs(0), sched);
        RingPoller poller =
            RingPoller.start("blockio-it", Duration.ofMillis(5), Duration.ofMillis(20))) {
      assertThat(probe.followsInKernel()).isTrue();
      poller.add(probe.events(), (a, n) -> events.add(BlockIoRequest.at(a)));
      sched.follow(pid);
      int dev = loop.dev();
      LoopDevice.Stat before = loop.stat();
      int tid = Libc.gettid();
      directIo(loop.path());
      LoopDevice.Stat delta = loop.stat().minus(before);
      await(
          () ->
              total(probe, dev, BlockIoDir.READ, false) >= READS
                  && total(probe, dev, BlockIoDir.WRITE, false) >= WRITES);

      assertThat(delta.reads()).as("the disk's own count").isEqualTo(READS);
      assertThat(delta.writes()).isEqualTo(WRITES);
      assertThat(total(probe, dev, BlockIoDir.READ, false)).isEqualTo(delta.reads());
      assertThat(total(probe, dev, BlockIoDir.WRITE, false)).isEqualTo(delta.writes());
      assertThat(total(probe, dev, BlockIoDir.READ, true)).isEqualTo(delta.readSectors() * 512);
      assertThat(total(probe, dev, BlockIoDir.WRITE, true)).isEqualTo(delta.writeSectors() * 512);
      long cgroup = ownCgroup();
      for (BlockIoSeries s : ofDevice(probe, dev)) {
        assertThat(s.cgroupId()).as("every series of the device is ours").isEqualTo(cgroup);
        assertThat(s.origin()).isEqualTo(BlockIoOrigin.TASK);
        assertThat(s.issued()).isEqualTo(s.requests());
        assertThat(s.service().total()).isEqualTo(s.requests());
        assertThat(s.serviceNs()).isPositive();
        if (hooks.start().equals("block_io_start")) {
          assertThat(s.queued()).as("every request seen starting").isEqualTo(s.requests());
          assertThat(s.queue().total()).isEqualTo(s.requests());
        }
      }

      await(() -> mine(events, dev, tid).size() >= READS + WRITES);
      List<BlockIoRequest> mine = mine(events, dev, tid);
      assertThat(mine).hasSize(READS + WRITES).allMatch(BlockIoRequest::followed);
      assertThat(mine).allSatisfy(r -> assertThat(r.pid()).isEqualTo(pid));
      assertThat(mine).allSatisfy(r -> assertThat(r.issueNs()).isBetween(r.startNs(), r.endNs()));
      assertThat(mine.stream().filter(r -> r.dir() == BlockIoDir.READ))
          .hasSize(READS)
          .allMatch(r -> r.bytes() == READ_BYTES);
      assertThat(mine.stream().filter(r -> r.dir() == BlockIoDir.WRITE))
          .hasSize(WRITES)
          .allMatch(r -> r.bytes() == WRITE_BYTES);
      assertThat(probe.counter(BlockIoCounter.INFLIGHT_FULL)).isZero();
      assertThat(probe.counter(BlockIoCounter.STATS_FULL)).isZero();
      sched.unfollow(pid);
    }
  }

  /**
   * The series map holds 16 entries: 17 cgroups each writing once fill it, and the requests of
   * those refused are counted ({@code stats_full}); deleting a workload's series makes room for a
   * new one.
   */
  @Test
  void aFullSeriesMapRefusesNewSeriesCountsThemAndRemovingAWorkloadMakesRoom() throws Exception {
    BlockIoConfig d = BlockIoConfig.defaults();
    String parent = "aiprof-iomaps-full-" + ProcessHandle.current().pid();
    try (LoopDevice loop = LoopDevice.create(dir, 4 << 20);
        CgroupDir top = CgroupDir.create(parent);
        BlockIoProbe probe =
            BlockIoProbe.load(
                FEATURES, new BlockIoConfig(d.ringBytes(), d.inflightEntries(), 16, 0), null)) {
      List<CgroupDir> cgs = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 17; i++) {
          CgroupDir cg = CgroupDir.create(parent + "/w" + i);
          cgs.add(cg);
          directWrite(cg, loop.path(), i);
        }
        await(() -> probe.counter(BlockIoCounter.STATS_FULL) > 0);
        assertThat(probe.series()).as("full").hasSize(16);
        List<Long> ids = cgs.stream().map(CgroupDir::id).toList();
        List<Long> counted =
            probe.series().stream().map(BlockIoSeries::cgroupId).filter(ids::contains).toList();
        assertThat(counted).as("some of ours refused").hasSizeLessThan(17);

        CgroupDir late = CgroupDir.create(parent + "/late");
        cgs.add(late);
        boolean in = false;
        // Others' I/O on the host may take the room first: a few tries.
        for (int attempt = 0; attempt < 5 && !in; attempt++) {
          BlockIoSeries victim = probe.series().getFirst();
          assertThat(probe.removeWorkload(victim.cgroupId(), victim.cgroupV1Id())).isPositive();
          assertThat(probe.series())
              .noneMatch(
                  x -> x.cgroupId() == victim.cgroupId() && x.cgroupV1Id() == victim.cgroupV1Id());
          directWrite(late, loop.path(), attempt);
          in = probe.series().stream().anyMatch(x -> x.cgroupId() == late.id());
        }
        assertThat(in).as("a new workload takes the room a removed one left").isTrue();
      } finally {
        cgs.reversed().forEach(CgroupDir::close);
      }
    }
  }

  /** One 4 KiB O_DIRECT write at block {@code block} from a process in {@code cg}. */
  private static void directWrite(CgroupDir cg, Path device, int block) throws Exception {
    Process dd =
        new ProcessBuilder(
                "sh",
                "-c",
                "echo $$ > "
                    + cg.path().resolve("cgroup.procs")
                    + " && exec dd if=/dev/zero of="
                    + device
                    + " bs=4k count=1 seek="
                    + block
                    + " oflag=direct status=none")
            .inheritIO()
            .start();
    assertThat(dd.waitFor()).isZero();
  }

  /** Writes then reads the device with O_DIRECT from this thread. */
  private static void directIo(Path device) throws Exception {
    ByteBuffer buf = ByteBuffer.allocateDirect(WRITE_BYTES + 4096).alignedSlice(4096);
    try (FileChannel ch =
        FileChannel.open(
            device, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
      for (int i = 0; i < WRITES; i++) {
        buf.clear().limit(WRITE_BYTES);
        assertThat(ch.write(buf, (long) i * WRITE_BYTES)).isEqualTo(WRITE_BYTES);
      }
      for (int i = 0; i < READS; i++) {
        buf.clear().limit(READ_BYTES);
        assertThat(ch.read(buf, (long) i * READ_BYTES)).isEqualTo(READ_BYTES);
      }
    }
  }

  private static List<BlockIoSeries> ofDevice(BlockIoProbe probe, int dev) {
    return probe.series().stream().filter(s -> s.dev() == dev).toList();
  }

  private static long total(BlockIoProbe probe, int dev, BlockIoDir dir, boolean bytes) {
    return ofDevice(probe, dev).stream()
        .filter(s -> s.dir() == dir)
        .mapToLong(s -> bytes ? s.bytes() : s.requests())
        .sum();
  }

  /** The cgroup v2 id of this process, as its own requests on the device carry it. */
  private static long ownCgroup() throws Exception {
    String line =
        Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
            .filter(l -> l.startsWith("0::"))
            .findFirst()
            .orElseThrow();
    Path v2 = CgroupDir.v2Root().resolve(line.substring(3).replaceFirst("^/", ""));
    String key = String.valueOf(Files.readAttributes(v2, "unix:ino").get("ino"));
    return Long.parseLong(key);
  }

  private static List<BlockIoRequest> mine(
      ConcurrentLinkedQueue<BlockIoRequest> events, int dev, int tid) {
    return events.stream().filter(e -> e.dev() == dev && e.tid() == tid).toList();
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      Thread.sleep(10);
    }
  }
}
