package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileReportTest {
  static CgroupSchedStats stats(long id, long runqNs, long maxNs, int slot, long count) {
    long[] h = new long[40];
    h[slot] = count;
    return new CgroupSchedStats(
        id,
        0,
        new Log2Histogram(h),
        Log2Histogram.empty(40),
        runqNs,
        maxNs,
        2_000_000_000L,
        10,
        new long[] {0, 3_000_000_000L, 40_000_000L, 0},
        new long[] {5, 6, 7, 0});
  }

  private static String render(ProfileResult r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ProfileReport.render(r, new PrintStream(b, true, StandardCharsets.UTF_8));
    return b.toString(StandardCharsets.UTF_8);
  }

  private static ProfileResult result(List<ProfileResult.Workload> ws, List<Stall> stalls) {
    ThreadSchedStats t =
        new ThreadSchedStats(
            100,
            101,
            7,
            0,
            900_000_000L,
            300,
            1_000_000_000L,
            400,
            new long[] {0, 50_000_000L, 20_000_000L, 0},
            0,
            0,
            OffCpuKind.PREEMPTED);
    return new ProfileResult(
        Duration.ofSeconds(10),
        "pid 100 (python3)",
        "tp_btf",
        ws,
        List.of(
            new PhaseTable.Row(
                "load",
                "marker",
                10,
                1_000_000_000L,
                100_000_000L,
                50_000_000L,
                800_000_000L,
                50_000_000L,
                Double.NaN),
            new PhaseTable.Row(
                "decode", "otlp", 4, 400_000_000L, 300_000_000L, 100_000_000L, 0, 0, 42.0)),
        List.of(t),
        Map.of(101, "dataloader", 102, "trainer"),
        stalls,
        1_000_000,
        1234,
        2,
        List.of(new ProgramStats("sched_switch_btf", 9, 3_000_000, 10_000, 0)),
        new SelfCost(50_000_000, 20_000_000, 1_000_000, 80L << 20, 90L << 20));
  }

  @Test
  void rendersWorkloadsHistogramThreadsStallsAndCosts() {
    String out =
        render(
            result(
                List.of(
                    new ProfileResult.Workload(
                        "/kubepods.slice/pod-a", stats(7, 900_000_000, 5_000_000, 12, 100))),
                List.of(
                    new Stall(100, 102, 7, OffCpuKind.BLOCKED, 30_000_000, 2_000_000, 55, 56, 1))));
    assertThat(out)
        .contains("aiprof profile: pid 100 (python3) over 10.00s, scheduler probe tp_btf");
    assertThat(out).containsPattern("/kubepods.slice/pod-a\\s+900.00ms\\s+100\\s+6.1us");
    assertThat(out).contains("Runqueue latency, /kubepods.slice/pod-a:");
    assertThat(out).containsPattern("4.1us -> 8.2us\\s+: 100\\s+\\|\\*{40}\\|");
    assertThat(out)
        .containsPattern("101\\s+dataloader\\s+900.00ms\\s+300\\s+1.00s\\s+50.00ms\\s+20.00ms");
    assertThat(out).containsPattern("100/102\\s+trainer\\s+blocked\\s+30.00ms\\s+2.00ms\\s+55/56");
    assertThat(out)
        .containsPattern(
            "load\\s+marker\\s+10\\s+1.00s\\s+100.00ms\\s+10.0%\\s+50.00ms\\s+5.0%\\s+800.00ms\\s+80.0%"
                + "\\s+50.00ms\\s+5.0%\\s+-");
    assertThat(out).containsPattern("decode\\s+otlp\\s+4\\s+400.00ms.*\\s42%");
    assertThat(out).contains("probe: 1234 events sent, 2 dropped");
    assertThat(out)
        .contains(
            "agent: 50.00ms CPU over the window for 1000000 events (0.050 s per"
                + " million), of which JIT compilation 20.00ms (0.030 s per million without it),"
                + " RSS 80 MB (peak 90 MB)");
    assertThat(out).containsPattern("probe cost: sched_switch_btf\\s+300 ns/run\\s+10000 runs");
  }

  @Test
  void quantilesNeverExceedTheMeasuredMaximum() {
    // all 10 waits in [16.8ms, 33.6ms) but the longest was 17ms: p99 must say 17ms, not ~33ms.
    CgroupSchedStats s = stats(1, 170_000_000, 17_000_000, 24, 10);
    assertThat(ProfileReport.quantile(s, 0.99)).isEqualTo(17_000_000);
  }

  @Test
  void longNamesKeepTheirStartAndEnd() {
    assertThat(ProfileReport.clip("memcg /process_api/43a3f9219e59d32ec387f4d03bda6133", 36))
        .isEqualTo("memcg /pro…19e59d32ec387f4d03bda6133")
        .hasSize(36);
    assertThat(ProfileReport.clip("/short", 36)).isEqualTo("/short");
  }

  @Test
  void saysSoWhenThereIsNothing() {
    String out = render(result(List.of(), List.of()));
    assertThat(out).contains("(no scheduler activity in the selected workloads)");
    assertThat(out).contains("Longest stalls").contains("(none)");
  }
}
