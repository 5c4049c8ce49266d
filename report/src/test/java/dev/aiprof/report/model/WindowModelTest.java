package dev.aiprof.report.model;

import static dev.aiprof.report.model.TestSpans.sched;
import static dev.aiprof.report.model.TestSpans.stall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowModelTest {
  /** A client thread's request, served on a worker thread: prefill and three decode steps. */
  static TestSpans request() {
    return new TestSpans()
        .add(
            "t1",
            "c",
            "",
            "POST /generate",
            SpanRecord.KIND_CLIENT,
            0,
            100,
            "client",
            1,
            11,
            sched(1, 0, 0, 99),
            List.of())
        .add(
            "t1",
            "s",
            "c",
            "POST /generate",
            SpanRecord.KIND_SERVER,
            5,
            95,
            "server",
            2,
            21,
            sched(60, 20, 10, 0),
            List.of(stall(10, "runqueue", 20), stall(40, "blocked", 10)))
        .add(
            "t1",
            "p",
            "s",
            "prefill",
            1,
            10,
            40,
            "server",
            2,
            21,
            sched(10, 20, 0, 0),
            List.of(stall(10, "runqueue", 20)))
        .add(
            "t1",
            "d1",
            "s",
            "decode 1",
            1,
            40,
            60,
            "server",
            2,
            21,
            sched(10, 0, 10, 0),
            List.of(stall(40, "blocked", 10)))
        .add("t1", "d2", "s", "decode 2", 1, 60, 70, "server", 2, 21, sched(10, 0, 0, 0), List.of())
        .add(
            "t1",
            "d3",
            "s",
            "decode 3",
            1,
            70,
            80,
            "server",
            2,
            21,
            Map.of("gen_ai.request.model", "m", "gen_ai.usage.output_tokens", 3L),
            List.of());
  }

  @Test
  void oneLanePerThreadGroupedByProcess() {
    WindowModel m = request().model();
    assertThat(m.processes()).extracting(ProcessGroup::service).containsExactly("client", "server");
    assertThat(m.lanes()).extracting(Lane::tid).containsExactly(11L, 21L);
    assertThat(m.lanes().get(1).depth()).isEqualTo(2);
    assertThat(m.phases())
        .filteredOn(b -> b.span().name().equals("decode 2"))
        .singleElement()
        .satisfies(b -> assertThat(b.depth()).isEqualTo(1));
  }

  @Test
  void ttftIsToTheEndOfPrefillAndTpotTheMeanDecodeStepAfterIt() {
    Request r = request().model().requests().getFirst();
    assertThat(r.name()).isEqualTo("POST /generate");
    assertThat(r.served()).isTrue();
    assertThat(r.decodeSteps()).isEqualTo(3);
    assertThat(r.ttftMs().getAsDouble()).isCloseTo(40, within(1e-6));
    assertThat(r.tpotMs().getAsDouble()).isCloseTo(40 / 3.0, within(1e-6));
    assertThat(r.model()).isEqualTo("m");
    assertThat(r.outputTokens()).isEqualTo(3);
    assertThat(r.rows()).extracting(Request.Row::depth).containsExactly(0, 1, 2, 2, 2, 2);
  }

  @Test
  void withoutPrefillTheFirstTokenIsTheFirstDecodeStepsAndNestedStepsCountOnce() {
    Request r =
        new TestSpans()
            .add("t", "g", "", "generate", 0, 100, 1)
            .add("t", "d", "g", "decode", 10, 90, 1)
            .add("t", "d1", "d", "decode 1", 10, 30, 1)
            .add("t", "d2", "d", "decode 2", 30, 60, 1)
            .add("t", "d3", "d", "decode 3", 60, 90, 1)
            .model()
            .requests()
            .getFirst();
    assertThat(r.decodeSteps()).isEqualTo(3);
    assertThat(r.ttftMs().getAsDouble()).isCloseTo(30, within(1e-6));
    assertThat(r.tpotMs().getAsDouble()).isCloseTo(30, within(1e-6));
    assertThat(r.served()).isFalse();
  }

  @Test
  void theTotalCountsEachThreadsOutermostPhasesOnce() {
    Breakdown t = request().model().total();
    assertThat(t.onCpu()).isEqualTo(61);
    assertThat(t.runqueue()).isEqualTo(20);
    assertThat(t.ioWait()).isEqualTo(10);
    assertThat(t.otherOff()).isEqualTo(99);
  }

  @Test
  void aStallReportedByNestedPhasesIsKeptOnce() {
    List<Stall> s = request().model().stalls();
    assertThat(s).extracting(Stall::kind).containsExactly("runqueue", "blocked");
    assertThat(s.getFirst().endNs() - s.getFirst().startNs()).isEqualTo(20_000_000);
  }

  @Test
  void clientAndServerSpansOfOneNameAreSeparatePhases() {
    assertThat(request().model().phaseStats())
        .extracting(PhaseStats::name)
        .contains("POST /generate (client)", "POST /generate (server)", "prefill", "decode 1");
  }

  @Test
  void theVerdictNamesTheNarrowestPhaseHoldingTheLargestWait() {
    String v = Verdict.of(request().model());
    assertThat(v).startsWith("Thread time in phases: 32% on-CPU, 11% runqueue, 5% I/O wait");
    assertThat(v).contains("Most runqueue is in prefill (20.0 ms of 20.0 ms)");
  }

  @Test
  void spansWithoutThreadOrPidStillGetALane() {
    WindowModel m =
        new TestSpans()
            .add("t", "a", "", "loose", 1, 0, 5, "lonely", 0, 0, Map.of(), List.of())
            .model();
    assertThat(m.lanes())
        .singleElement()
        .satisfies(l -> assertThat(l.name()).isEqualTo("spans without thread.id"));
    assertThat(m.processes().getFirst().pid()).isZero();
    assertThat(Verdict.of(m)).contains("not described by the agent");
    assertThat(m.requests().getFirst().ttftMs()).isEmpty();
  }

  @Test
  void threadNamesComeFromTheThreadNameAttribute() {
    WindowModel m =
        new TestSpans()
            .add(
                "t",
                "a",
                "",
                "x",
                1,
                0,
                5,
                "svc",
                3,
                4,
                Map.of("thread.name", "worker-1"),
                List.of())
            .add("t2", "b", "", "y", 1, 6, 8, "svc", 3, 4, Map.of(), List.of())
            .model();
    assertThat(m.lanes())
        .singleElement()
        .satisfies(l -> assertThat(l.name()).isEqualTo("worker-1 (4)"));
  }

  @Test
  void gpuTimeComesFromAiprofGpuMillisecondAttributesAndAddsAGpuLane() {
    Map<String, Object> a = new java.util.TreeMap<>(sched(5, 0, 0, 5));
    a.put("aiprof.gpu.busy_ms", 7.5);
    a.put("aiprof.gpu.cuda_sync_ms", 2.5);
    a.put("aiprof.gpu.launches", 12L);
    WindowModel m =
        new TestSpans().add("t", "a", "", "forward", 1, 0, 10, "train", 5, 6, a, List.of()).model();
    assertThat(m.phases().getFirst().breakdown().gpu()).isEqualTo(10.0);
    assertThat(m.processes().getFirst().gpu()).isTrue();
    assertThat(Verdict.of(m)).contains("GPU 10.0 ms");
  }
}
