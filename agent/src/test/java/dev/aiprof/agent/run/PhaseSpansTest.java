package dev.aiprof.agent.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.SpanIds;
import dev.aiprof.exporters.traces.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseSpansTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("service.name");
  static final AttributeKey<Double> ON_CPU = AttributeKey.doubleKey("aiprof.sched.on_cpu_ms");

  // monotonic 1e9 ns is epoch 1,700,000,000 s
  private final ClockSync clock =
      new ClockSync(() -> 1_000_000_000L, () -> Instant.ofEpochSecond(1_700_000_000L));
  private final List<SpanData> out = new ArrayList<>();
  private final PhaseSpans spans =
      new PhaseSpans(out::add, clock, InstrumentationScopeInfo.create("dev.aiprof"));

  private static final Attributes WORKLOAD =
      Attributes.builder()
          .put(POD, "trainer-0")
          .put("process.pid", 4242L)
          .put("process.executable.name", "python3")
          .build();

  private CorrelatedPhase correlated(Phase p) {
    Attributes found = Attributes.of(ON_CPU, 12.5);
    List<PhaseDescription.Event> stalls =
        List.of(
            new PhaseDescription.Event(
                "aiprof.sched.stall",
                1_000_000_000L + 5_000_000,
                Attributes.of(AttributeKey.stringKey("aiprof.sched.stall.kind"), "runqueue")));
    return new CorrelatedPhase(
        p,
        WORKLOAD,
        found,
        stalls,
        Map.of(Category.ON_CPU, 12_500_000L),
        List.of(),
        clock.toEpochNanos(p.startNs()),
        clock.toEpochNanos(p.endNs()));
  }

  @Test
  void aWorkloadsOwnSpanKeepsItsIdsAndGetsTheAgentsFindings() {
    ForeignSpan f =
        new ForeignSpan(
            TRACE,
            "00f067aa0ba902b7",
            "1111111111111111",
            "vendor=x",
            1,
            "forward",
            SpanKind.SERVER,
            1_700_000_000_100L,
            1_700_000_000_900L,
            StatusCode.ERROR,
            "oom",
            Attributes.of(AttributeKey.longKey("batch"), 64L),
            List.of(new ForeignSpan.Event("checkpoint", 1_700_000_000_500L, Attributes.empty())),
            List.of(
                new ForeignSpan.Link(
                    "5bf92f3577b34da6a3ce929d0e0e4736", "2222222222222222", Attributes.empty())),
            Attributes.builder().put(SERVICE, "inference").put(POD, "stale-name").build(),
            "torch.profiler",
            "2.5");
    Phase p =
        new Phase(
            "forward", PhaseOrigin.OTLP, 4242, 4243, 1_000_000_100L, 1_000_000_900L, 0, null, f);
    spans.accept(correlated(p));
    SpanData s = out.getFirst();
    assertThat(s.getTraceId()).isEqualTo(TRACE);
    assertThat(s.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.getParentSpanId()).isEqualTo("1111111111111111");
    assertThat(s.getSpanContext().getTraceState().get("vendor")).isEqualTo("x");
    assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getStatus().getDescription()).isEqualTo("oom");
    assertThat(s.getStartEpochNanos()).isEqualTo(1_700_000_000_100L);
    assertThat(s.getEndEpochNanos()).isEqualTo(1_700_000_000_900L);
    assertThat(s.getAttributes().get(AttributeKey.longKey("batch"))).isEqualTo(64L);
    assertThat(s.getAttributes().get(ON_CPU)).isEqualTo(12.5);
    assertThat(s.getInstrumentationScopeInfo().getName()).isEqualTo("torch.profiler");
    assertThat(s.getInstrumentationScopeInfo().getVersion()).isEqualTo("2.5");
    assertThat(s.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext().getSpanId()).isEqualTo("2222222222222222"));
    assertThat(s.getEvents())
        .extracting(e -> e.getName())
        .containsExactly("checkpoint", "aiprof.sched.stall");
    assertThat(s.getEvents().get(1).getEpochNanos())
        .as("stall at monotonic 1.005 s is 5 ms after the epoch anchor")
        .isEqualTo(1_700_000_000_000_000_000L + 5_000_000);
    assertThat(s.getResource().getAttribute(SERVICE)).isEqualTo("inference");
    assertThat(s.getResource().getAttribute(POD))
        .as("the agent's identity wins")
        .isEqualTo("trainer-0");
  }

  @Test
  void aServiceThatNamedItselfKeepsItsNameOverTheAgentsGuess() {
    Attributes guessed = WORKLOAD.toBuilder().put(SERVICE, "java").build();
    assertThat(PhaseSpans.found(foreign("phased-workload"), guessed).get(SERVICE))
        .as("the service's own name stays: merged under it, the guess is gone")
        .isNull();
    assertThat(PhaseSpans.found(foreign("phased-workload"), guessed).get(POD))
        .isEqualTo("trainer-0");
    assertThat(PhaseSpans.found(foreign("unknown_service:java"), guessed).get(SERVICE))
        .as("the SDK's default is no name: the agent's guess is better")
        .isEqualTo("java");
    assertThat(PhaseSpans.found(foreign(null), guessed).get(SERVICE)).isEqualTo("java");
    Phase p =
        new Phase(
            "step",
            PhaseOrigin.OTLP,
            4242,
            4243,
            1_000_000_000L,
            1_000_000_001L,
            0,
            null,
            foreign("phased-workload"));
    CorrelatedPhase c = correlated(p);
    CorrelatedPhase withGuess =
        new CorrelatedPhase(
            c.phase(),
            guessed,
            c.attributes(),
            c.events(),
            c.values(),
            c.late(),
            c.startEpochNanos(),
            c.endEpochNanos());
    assertThat(spans.span(withGuess).getResource().getAttribute(SERVICE))
        .isEqualTo("phased-workload");
  }

  private static ForeignSpan foreign(String service) {
    return new ForeignSpan(
        TRACE,
        "00f067aa0ba902b7",
        "",
        "",
        1,
        "step",
        SpanKind.INTERNAL,
        1,
        2,
        null,
        null,
        null,
        List.of(),
        List.of(),
        service == null ? Attributes.empty() : Attributes.of(SERVICE, service),
        null,
        null);
  }

  @Test
  void aMarkerPhaseBecomesAnInternalSpanWithTheSourcesIds() {
    SpanIds outer = SpanIds.root();
    SpanIds inner = outer.child();
    Phase p =
        new Phase(
            "load",
            PhaseOrigin.MARKER,
            4242,
            4243,
            1_000_000_000L,
            1_020_000_000L,
            1,
            Attributes.of(AttributeKey.stringKey("file"), "shard-3"),
            null,
            inner);
    SpanRecord s = spans.span(correlated(p));
    assertThat(s.getTraceId()).isEqualTo(outer.traceId());
    assertThat(s.getSpanId()).isEqualTo(inner.spanId());
    assertThat(s.getParentSpanId()).isEqualTo(outer.spanId());
    assertThat(s.getName()).isEqualTo("load");
    assertThat(s.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.getStartEpochNanos()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(s.getEndEpochNanos() - s.getStartEpochNanos()).isEqualTo(20_000_000L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("aiprof.phase.origin")))
        .isEqualTo("marker");
    assertThat(s.getAttributes().get(AttributeKey.longKey("thread.id"))).isEqualTo(4243L);
    assertThat(s.getAttributes().get(AttributeKey.longKey("process.pid"))).isEqualTo(4242L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("file"))).isEqualTo("shard-3");
    assertThat(s.getAttributes().get(ON_CPU)).isEqualTo(12.5);
    assertThat(s.getEvents())
        .singleElement()
        .satisfies(e -> assertThat(e.getEpochNanos()).isEqualTo(1_700_000_000_005_000_000L));
    assertThat(s.getResource().getAttribute(POD)).isEqualTo("trainer-0");
    assertThat(s.getResource().getAttribute(SERVICE))
        .as("from the executable")
        .isEqualTo("python3");
    assertThat(s.getInstrumentationScopeInfo().getName()).isEqualTo("dev.aiprof");
  }

  @Test
  void aProcessWidePhaseWithoutIdsGetsFreshRootIdsAndNoThread() {
    Phase p =
        new Phase(
            "G1 Young Pause",
            PhaseOrigin.JFR,
            4242,
            0,
            1_000_000_000L,
            1_003_000_000L,
            0,
            null,
            null);
    SpanRecord a = spans.span(correlated(p));
    SpanRecord b = spans.span(correlated(p));
    assertThat(a.getSpanContext().isValid()).isTrue();
    assertThat(a.getParentSpanContext().isValid()).isFalse();
    assertThat(a.getTraceId()).isNotEqualTo(b.getTraceId());
    assertThat(a.getAttributes().get(AttributeKey.longKey("thread.id"))).isNull();
  }

  @Test
  void aForeignSpanWithBrokenIdsStillBecomesASpan() {
    ForeignSpan f =
        new ForeignSpan(
            "not-hex",
            "x",
            "",
            "",
            1,
            "step",
            SpanKind.INTERNAL,
            1,
            2,
            null,
            null,
            null,
            List.of(),
            List.of(),
            null,
            null,
            null);
    Phase p = new Phase("step", PhaseOrigin.OTLP, 1, 1, 1_000_000_000L, 1_000_000_001L, 0, null, f);
    assertThat(spans.span(correlated(p)).getSpanContext().isValid()).isTrue();
    assertThat(spans.failures()).isZero();
  }

  @Test
  void serviceNameFromTheWorkloadWhenItHasOne() {
    assertThat(PhaseSpans.withService(Attributes.of(SERVICE, "svc")).get(SERVICE)).isEqualTo("svc");
    assertThat(PhaseSpans.withService(Attributes.empty()).get(SERVICE))
        .isEqualTo("unknown_service");
  }
}
