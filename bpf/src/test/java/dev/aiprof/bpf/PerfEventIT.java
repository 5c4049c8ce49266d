package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.aiprof.testing.Libc;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.Schedstat;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A CPU-clock sampler for real ({@code perf_test.bpf.c} on one perf event per CPU): samples arrive
 * at about the asked frequency on every CPU, and the stacks of a spinning thread of this JVM read
 * back from the stack trace map are kernel addresses (kernel stacks) and addresses inside this
 * process's executable mappings (user stacks: every frame, which takes a JVM that keeps frame
 * pointers, -XX:+PreserveFramePointer, as a sampled Java workload must). Closing the links closes
 * the perf events.
 */
@Requires(root = true)
@NoBpfLeaks
class PerfEventIT {
  private static final long HZ = 200;
  private static final long KERNEL_START = 0xffff_8000_0000_0000L;
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void samplesArriveAtTheAskedFrequencyAndStacksPointIntoCode() throws Exception {
    assertThat(
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("PreserveFramePointer")
                .getValue())
        .as(
            "-XX:+PreserveFramePointer (bpf/pom.xml sets it): without it JIT code keeps no frame"
                + " pointers and user stacks end in garbage")
        .isEqualTo("true");
    long perfFds = perfDescriptors();
    List<Integer> cpus = PerfEvent.onlineCpus();
    // One spinner per CPU keeps every CPU busy (an idle vCPU is sampled less); the first one's
    // samples and stacks are recorded.
    List<Spinner> spinners = cpus.stream().map(Spinner::new).toList();
    Spinner target = spinners.get(0);
    try (BpfObject obj = BpfObject.openResource(PerfEventIT.class, "perf_test")) {
      obj.setConstant("target_tid", target.tid());
      obj.load();
      List<BpfLink> links = new ArrayList<>();
      for (PerfEvent e : PerfEvent.cpuClockOnEveryCpu(HZ)) {
        links.add(obj.program("on_sample").attachPerfEvent(e));
      }
      spinners.forEach(Spinner::go);
      awaitWindow(200);
      long[] before = perCpu(obj.map("samples"));
      long targetBefore = LongStream.of(perCpu(obj.map("target_samples"))).sum();
      Schedstat ranBefore = Schedstat.read(SELF, target.tid());
      long t0 = System.nanoTime();
      awaitWindow(1500);
      long[] after = perCpu(obj.map("samples"));
      long targetAfter = LongStream.of(perCpu(obj.map("target_samples"))).sum();
      double ran = Schedstat.read(SELF, target.tid()).minus(ranBefore).onCpuNs() / 1e9;
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (Spinner sp : spinners) {
        sp.stop();
      }
      links.forEach(BpfLink::close);
      assertThat(perfDescriptors()).as("perf event fds after the links closed").isEqualTo(perfFds);

      for (int cpu : cpus) {
        double rate = (after[cpu] - before[cpu]) / seconds;
        System.out.printf("cpu %d: %.1f samples/s (asked %d)%n", cpu, rate, HZ);
        assertThat(rate).as("samples per second on cpu %d", cpu).isBetween(0.75 * HZ, 1.25 * HZ);
      }
      double perOnCpuSecond = (targetAfter - targetBefore) / ran;
      System.out.printf(
          "spinner: %.1f samples per second on a CPU (%.2f s of %.2f)%n",
          perOnCpuSecond, ran, seconds);
      assertThat(perOnCpuSecond)
          .as("samples of the spinner per second it ran (schedstat)")
          .isBetween(0.75 * HZ, 1.25 * HZ);
      checkStacks(obj);
    }
  }

  @Test
  void anAttachedPerfEventBelongsToItsLink() throws Exception {
    long perfFds = perfDescriptors();
    try (BpfObject obj = BpfObject.openResource(PerfEventIT.class, "perf_test")) {
      obj.load();
      PerfEvent unused = PerfEvent.cpuClock(PerfEvent.onlineCpus().get(0), HZ);
      assertThat(perfDescriptors()).isEqualTo(perfFds + 1);
      unused.close();
      unused.close();
      assertThat(perfDescriptors()).as("closed, never attached").isEqualTo(perfFds);

      PerfEvent e = PerfEvent.cpuClock(PerfEvent.onlineCpus().get(0), HZ);
      BpfLink link = obj.program("on_sample").attachPerfEvent(e);
      e.close(); // the link owns it: nothing happens
      assertThat(perfDescriptors()).as("attached").isEqualTo(perfFds + 1);
      assertThatThrownBy(() -> obj.program("on_sample").attachPerfEvent(e))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("attached already");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (LongStream.of(perCpu(obj.map("samples"))).sum() == 0) {
        assertThat(System.nanoTime()).as("a sample after close()").isLessThan(deadline);
        Thread.onSpinWait();
      }
      link.close();
      assertThat(perfDescriptors()).as("link closed").isEqualTo(perfFds);
    }
  }

  private static void checkStacks(BpfObject obj) throws IOException {
    List<long[]> code = executableRanges();
    BpfMap stacks = obj.map("stacks");
    List<Integer> kernelIds = new ArrayList<>();
    List<Integer> userIds = new ArrayList<>();
    long[] samples = {0};
    obj.map("target_stacks")
        .forEach(
            256,
            (k, v) -> {
              kernelIds.add(k.get(JAVA_INT, 0));
              userIds.add(k.get(JAVA_INT, 4));
              samples[0] += v.get(JAVA_LONG, 0);
            });
    int kernelStacks = 0;
    int userStacks = 0;
    int userFrames = 0;
    int outside = 0;
    List<String> bad = new ArrayList<>();
    for (int id : kernelIds) {
      long[] ips = stacks.stack(id);
      if (id >= 0) {
        assertThat(ips).as("kernel stack %d", id).isNotEmpty();
        kernelStacks++;
      }
      for (long ip : ips) {
        assertThat(Long.compareUnsigned(ip, KERNEL_START))
            .as("kernel IP 0x%x", ip)
            .isGreaterThanOrEqualTo(0);
      }
    }
    for (int id : userIds) {
      long[] ips = stacks.stack(id);
      if (id >= 0) {
        assertThat(ips).as("user stack %d", id).isNotEmpty();
        assertThat(inside(code, ips[0])).as("leaf IP 0x%x of user stack %d", ips[0], id).isTrue();
        userStacks++;
      }
      for (long ip : ips) {
        userFrames++;
        if (!inside(code, ip)) {
          outside++;
          bad.add(LongStream.of(ips).mapToObj(Long::toHexString).toList().toString());
        }
      }
    }
    System.out.printf(
        "%d samples of the spinner: %d kernel stacks, %d user stacks (%d frames, %d outside"
            + " executable mappings)%n",
        samples[0], kernelStacks, userStacks, userFrames, outside);
    assertThat(samples[0]).as("samples of the spinning thread").isGreaterThan(HZ / 10);
    assertThat(kernelStacks).as("kernel stacks (it spins in read(2) too)").isPositive();
    assertThat(userStacks).as("user stacks").isPositive();
    // Frame-pointer unwinding is exact through code that keeps frame pointers (the JIT's, with
    // -XX:+PreserveFramePointer, and the JDK's natives) but a sample inside a libc routine that
    // uses rbp as a plain register yields one stray caller now and then: a few per mille. Without
    // the flag a quarter of all frames are strays.
    assertThat(outside)
        .as("user frames outside executable mappings, of %d: %s", userFrames, bad)
        .isLessThanOrEqualTo(userFrames / 50);

    int some = userIds.stream().filter(id -> id >= 0).findFirst().orElseThrow();
    assertThat(stacks.deleteStack(some)).isTrue();
    assertThat(stacks.stack(some)).as("a deleted stack").isEmpty();
    assertThat(stacks.deleteStack(some)).isFalse();
    assertThat(stacks.stack(-14)).as("an errno from bpf_get_stackid").isEmpty();
  }

  private static boolean inside(List<long[]> ranges, long ip) {
    for (long[] r : ranges) {
      if (Long.compareUnsigned(ip, r[0]) >= 0 && Long.compareUnsigned(ip, r[1]) < 0) {
        return true;
      }
    }
    return false;
  }

  /** [start, end) of every executable mapping of this process. */
  private static List<long[]> executableRanges() throws IOException {
    List<long[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] f = line.split("\\s+");
      if (f[1].indexOf('x') >= 0) {
        String[] range = f[0].split("-");
        out.add(
            new long[] {
              Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16)
            });
      }
    }
    return out;
  }

  private static long[] perCpu(BpfMap m) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment v = a.allocate(m.valueBufferSize(), 8);
      assertThat(m.lookup(a.allocateFrom(JAVA_INT, 0), v)).isTrue();
      long[] out = new long[BpfMap.possibleCpus()];
      for (int cpu = 0; cpu < out.length; cpu++) {
        out[cpu] = v.get(JAVA_LONG, cpu * m.perCpuStride());
      }
      return out;
    }
  }

  private static long perfDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).toString().contains("perf_event");
                } catch (IOException e) {
                  return false;
                }
              })
          .count();
    }
  }

  private static void awaitWindow(long millis) throws InterruptedException {
    // A measurement window, not a synchronisation: the sampler runs for this long.
    Thread.sleep(millis);
  }

  /** A thread that alternates reads of /dev/zero (kernel time) with a spin in Java (user time). */
  private static final class Spinner {
    private final int cpu;
    private final CompletableFuture<Integer> tid = new CompletableFuture<>();
    private final CountDownLatch go = new CountDownLatch(1);
    private volatile boolean stop;
    private final Thread thread;

    Spinner(int cpu) {
      this.cpu = cpu;
      this.thread = Thread.ofPlatform().name("spinner-" + cpu).daemon().start(this::run);
    }

    int tid() {
      return tid.join();
    }

    void go() {
      go.countDown();
    }

    void stop() {
      stop = true;
      go.countDown();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void run() {
      Libc.pinTo(cpu);
      tid.complete(Libc.gettid());
      try (FileChannel zero = FileChannel.open(Path.of("/dev/zero"))) {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        go.await();
        long x = 0;
        while (!stop) {
          zero.read(buf.clear());
          long until = System.nanoTime() + 100_000;
          while (System.nanoTime() < until) {
            x += System.nanoTime() & 1;
          }
        }
        if (x == 42) {
          System.out.print("");
        }
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
