package dev.aiprof.bpf.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.FeatureProber;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.RingBuffer;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.CudaProgram;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CUDA probe loaded for real and attached to real libraries: the fake driver (built now by gcc,
 * syncs that really wait) and the real CUDA 13 runtime (every call returns 35 without a driver, but
 * the probes fire). Each fixture prints what it did on which thread; the kernel's counts, bytes,
 * waits and results must match it thread by thread.
 */
@Requires(root = true, tools = "gcc", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CudaProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Features FEATURES = new FeatureProber().probe();
  private static final long THRESHOLD_NS = 200_000;
  private static final CudaConfig CONFIG = new CudaConfig(1 << 16, THRESHOLD_NS, 24);

  /** Per (tid, call, direction): calls and bytes, summed from drained slots. */
  private record Key(int tid, String call, String dir) {}

  @Test
  void driverCallsWaitsAndAllocationsMatchTheProgramThreadByThread() throws Exception {
    Path lib = CudaFixtures.fakeDriver();
    Path exe = CudaFixtures.driverProgram();
    List<CudaWait> waits = new ArrayList<>();
    List<CudaSlot> slots = new ArrayList<>();
    try (CudaProbe probe = CudaProbe.load(FEATURES, CONFIG);
        RingBuffer ring = RingBuffer.open(probe.events(), (a, n) -> waits.add(CudaWait.at(a)));
        CudaProgram p = CudaProgram.start(List.of(exe.toString(), "2"), Map.of(), TIMEOUT)) {
      assertThat(probe.attach(CudaApi.DRIVER, LibraryId.of(lib), lib))
          .as("functions the fake exports")
          .isEqualTo(16); // every plain name; none of the 12 per-thread-stream variants
      p.run(TIMEOUT);
      ring.drain();
      probe.drainEnded(Long.MAX_VALUE, slots::add);
      assertThat(p.threads()).hasSize(2);
      assertThat(totals(slots, p.pid())).isEqualTo(expected(p));
      for (CudaSlot s : slots) {
        assertThat(s.pid()).isEqualTo(p.pid());
        assertThat(s.errors()).as("the fake returns CUDA_SUCCESS").isZero();
      }
      assertWaitsMatch(p, waits, slots);
      assertThat(probe.trackedAllocations()).as("3 allocated, 1 freed, per thread").isEqualTo(4);
      assertThat(probe.histograms())
          .filteredOn(h -> h.call() == CudaCall.STREAM_SYNC)
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h.waits().total()).isEqualTo(4);
                assertThat(h.waits().quantile(0.0))
                    .as("2 ms waits: none below slot 20, [2^20, 2^21) ns")
                    .isGreaterThanOrEqualTo(1 << 20);
              });
      assertThat(probe.counter(CudaCounter.FREE_UNKNOWN)).isZero();
      assertThat(probe.counter(CudaCounter.STATS_FULL)).isZero();
      assertThat(p.exit(TIMEOUT)).isZero();
      assertThat(probe.forgetAllocations(java.util.Set.of())).isEqualTo(4);
      assertThat(probe.trackedAllocations()).isZero();
      assertThat(probe.detach(LibraryId.of(lib))).isTrue();
    }
  }

  @Test
  @Requires(files = "/usr/local/cuda-13.0/lib64/libcudart.so.13")
  void runtimeCallsOfTheRealLibcudartAreCountedWithTheirResults() throws Exception {
    Path exe = CudaFixtures.runtimeProgram();
    List<CudaSlot> slots = new ArrayList<>();
    try (CudaProbe probe = CudaProbe.load(FEATURES, CONFIG);
        CudaProgram p = CudaProgram.start(List.of(exe.toString(), "2"), Map.of(), TIMEOUT)) {
      Path cudart = CudaFixtures.CUDART;
      assertThat(probe.attach(CudaApi.RUNTIME, LibraryId.of(cudart), cudart))
          .isEqualTo(CudaSymbol.RUNTIME.size());
      p.run(TIMEOUT);
      probe.drainEnded(Long.MAX_VALUE, slots::add);
      assertThat(totals(slots, p.pid())).isEqualTo(expected(p));
      assertThat(p.results("cudaLaunchKernel")).containsOnly(35);
      for (CudaSlot s : slots) {
        assertThat(s.errors()).as("%s returned 35 every time", s.call()).isEqualTo(s.calls());
      }
      assertThat(probe.counter(CudaCounter.UNMATCHED_RETURN)).isZero();
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  /**
   * A runtime that calls the driver under each of its calls (as the real one does) is counted once:
   * as the runtime call; the driver calls the program makes itself are counted as such.
   */
  @Test
  void driverCallsUnderARuntimeCallAreNotCountedTwice() throws Exception {
    Path driver = CudaFixtures.fakeDriver();
    Path runtime = CudaFixtures.fakeRuntime();
    Path exe = CudaFixtures.layeredProgram();
    List<CudaSlot> slots = new ArrayList<>();
    try (CudaProbe probe = CudaProbe.load(FEATURES, CONFIG);
        CudaProgram p = CudaProgram.start(List.of(exe.toString(), "2"), Map.of(), TIMEOUT)) {
      probe.attach(CudaApi.DRIVER, LibraryId.of(driver), driver);
      assertThat(probe.attach(CudaApi.RUNTIME, LibraryId.of(runtime), runtime)).isEqualTo(5);
      p.run(TIMEOUT);
      probe.drainEnded(Long.MAX_VALUE, slots::add);
      assertThat(totals(slots, p.pid())).isEqualTo(expected(p));
      assertThat(probe.counter(CudaCounter.SUPPRESSED))
          .as(
              "one driver call under each runtime call: 4k launches + 2 copies + 3 (de)allocs + 1 sync")
          .isEqualTo((4 + 6) + (8 + 6));
      assertThat(probe.trackedAllocations())
          .as("cudaMalloc x2, cudaFree x1, per thread")
          .isEqualTo(2);
      assertThat(p.exit(TIMEOUT)).isZero();
    }
  }

  private static Map<Key, List<Long>> totals(List<CudaSlot> slots, int pid) {
    Map<Key, List<Long>> out = new HashMap<>();
    for (CudaSlot s : slots) {
      if (s.pid() != pid) {
        continue;
      }
      out.merge(
          new Key(s.tid(), s.call().label(), s.dir().label()),
          List.of(s.calls(), s.bytes()),
          (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
    }
    return out;
  }

  private static Map<Key, List<Long>> expected(CudaProgram p) {
    Map<Key, List<Long>> out = new HashMap<>();
    for (CudaProgram.Count c : p.counts()) {
      out.merge(
          new Key(c.tid(), c.call(), c.dir()),
          List.of(c.calls(), c.bytes()),
          (a, b) -> List.of(a.get(0) + b.get(0), a.get(1) + b.get(1)));
    }
    return out;
  }

  /**
   * Every event lies inside one of the program's own readings around a sync call of the same thread
   * and function; every wait the program asked to last at least the threshold is an event; each
   * thread's time in sync calls lies between what it asked for and what it measured.
   */
  private static void assertWaitsMatch(CudaProgram p, List<CudaWait> events, List<CudaSlot> slots) {
    List<CudaProgram.Wait> measured = p.waits();
    for (CudaWait e : events) {
      assertThat(measured)
          .as("a program reading around %s", e)
          .anySatisfy(
              w -> {
                assertThat(w.tid()).isEqualTo(e.tid());
                assertThat(w.call()).isEqualTo(e.call().label());
                assertThat(e.startNs()).isGreaterThanOrEqualTo(w.startNs());
                assertThat(e.endNs()).isLessThanOrEqualTo(w.endNs());
              });
      assertThat(e.durationNs()).isGreaterThanOrEqualTo(THRESHOLD_NS);
      assertThat(e.result()).isZero();
    }
    for (int tid : p.threads()) {
      assertThat(events)
          .filteredOn(e -> e.tid() == tid && e.call() == CudaCall.STREAM_SYNC)
          .as("2 ms stream waits of %d", tid)
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.durationNs()).isGreaterThanOrEqualTo(2_000_000));
      assertThat(events)
          .filteredOn(e -> e.tid() == tid && e.call() == CudaCall.EVENT_SYNC)
          .hasSize(1);
      long asked = 2 * 2_000_000 + 300_000 + 3 * 20_000;
      long took = measured.stream().filter(w -> w.tid() == tid).mapToLong(w -> w.ns()).sum();
      long inKernel =
          slots.stream()
              .filter(s -> s.tid() == tid && s.call().kind() == CudaCallKind.SYNC)
              .mapToLong(CudaSlot::ns)
              .sum();
      assertThat(inKernel).isBetween(asked, took);
    }
  }
}
