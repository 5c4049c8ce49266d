package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.RunTimeStats;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.bpf.phase.PhaseConfig;
import dev.aiprof.bpf.phase.PhaseCounter;
import dev.aiprof.bpf.phase.PhaseProbe;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a marker call costs: a C loop of a million begin/end pairs, timed by the program itself with
 * the probe detached and attached in turn (A B A B, one process), and the kernel's own accounting
 * of the two programs (BPF_ENABLE_STATS). Wall-clock numbers are printed, not asserted (the machine
 * is shared); what is asserted is that every call ran the program exactly once and became an event
 * or a counted drop.
 */
@Requires(
    root = true,
    tools = {"gcc", "make"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class MarkerCostIT {
  private static final int PAIRS = 1_000_000;
  private static final int ROUNDS = 3;
  private static final Pattern RESULT = Pattern.compile("pairs=(\\d+) ns=(\\d+)");

  @Test
  void everyCallRunsTheProgramOnceAndItsCostIsReported() throws Exception {
    Path lib = MarkerBuild.library();
    Path exe = MarkerBuild.program("marker_bench");
    LibraryId id = LibraryId.of(lib);
    AtomicLong received = new AtomicLong();
    List<Long> off = new ArrayList<>();
    List<Long> on = new ArrayList<>();
    long runNs = 0;
    long runs = 0;
    try (PhaseProbe probe = PhaseProbe.load(TestPipeline.features(), new PhaseConfig(8 << 20));
        RingBufferPoller poller =
            probe.pollEvents((a, s) -> received.incrementAndGet(), Duration.ofMillis(10));
        RunTimeStats stats = RunTimeStats.enable();
        Child bench =
            Child.start(List.of(exe.toString(), Integer.toString(PAIRS)), java.util.Map.of())) {
      bench.await("ready", Duration.ofSeconds(10));
      for (int round = 0; round < ROUNDS; round++) {
        off.add(run(bench));
        probe.attach(id, lib);
        long events =
            probe.counter(PhaseCounter.EVENTS) + probe.counter(PhaseCounter.EVENTS_DROPPED);
        List<ProgramStats> before = probe.programStats();
        on.add(run(bench));
        List<ProgramStats> after = probe.programStats();
        probe.detach(id);
        long calls = 0;
        for (int i = 0; i < after.size(); i++) {
          ProgramStats d = after.get(i).minus(before.get(i));
          assertThat(d.runCount()).as("runs of %s", d.name()).isEqualTo(PAIRS);
          calls += d.runCount();
          runNs += d.runTimeNs();
        }
        runs += calls;
        long sent = probe.counter(PhaseCounter.EVENTS) + probe.counter(PhaseCounter.EVENTS_DROPPED);
        assertThat(sent - events).as("events sent or counted as dropped").isEqualTo(calls);
      }
      bench.send("exit");
      bench.waitFor(Duration.ofSeconds(10));
      long dropped = probe.counter(PhaseCounter.EVENTS_DROPPED);
      report(off, on, runNs, runs, dropped, received.get());
    }
  }

  private static long run(Child bench) throws InterruptedException {
    int seen = bench.lines().size();
    bench.send("run");
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = bench.lines();
      for (int i = seen; i < lines.size(); i++) {
        Matcher m = RESULT.matcher(lines.get(i));
        if (m.matches()) {
          assertThat(Long.parseLong(m.group(1))).isEqualTo(PAIRS);
          return Long.parseLong(m.group(2));
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no result from the benchmark: " + bench.lines());
  }

  private static void report(
      List<Long> off, List<Long> on, long runNs, long runs, long dropped, long received) {
    double offCall = median(off) / (2.0 * PAIRS);
    double onCall = median(on) / (2.0 * PAIRS);
    System.out.printf(
        "marker call cost (%d pairs x %d rounds, medians): detached %.1f ns/call, attached %.1f"
            + " ns/call (+%.1f ns); BPF program %.1f ns/run (kernel accounting); events received"
            + " %d, dropped %d%n",
        PAIRS, ROUNDS, offCall, onCall, onCall - offCall, (double) runNs / runs, received, dropped);
  }

  private static double median(List<Long> v) {
    List<Long> s = v.stream().sorted().toList();
    return s.get(s.size() / 2);
  }
}
