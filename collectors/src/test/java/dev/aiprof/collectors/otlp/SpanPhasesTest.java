package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxDirectory;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanPhasesTest {
  /** Monotonic 5 s when the wall clock reads 1,700,000,000 s: offset = 1,699,999,995 s. */
  private static final ClockSync CLOCK =
      new ClockSync(() -> 5_000_000_000L, () -> Instant.ofEpochSecond(1_700_000_000L));

  private static final long OFFSET = 1_699_999_995_000_000_000L;
  private static final long T0 = 1_700_000_001_000_000_000L;

  private static ForeignSpan foreign(Span s, List<KeyValue> resource) {
    return SpanConverter.convert(
        s, AnyValues.attributes(resource), InstrumentationScope.getDefaultInstance());
  }

  @Test
  void aSpanBecomesAPhaseOfItsProcessAndThreadInMonotonicTime() {
    ForeignSpan f =
        foreign(
            span("step", T0, kv("thread.id", 1235), kv("k", "v")).build(),
            List.of(kv("process.pid", 1234)));

    Phase p = SpanPhases.phase(f, CLOCK);

    assertThat(p.name()).isEqualTo("step");
    assertThat(p.origin()).isEqualTo(PhaseOrigin.OTLP);
    assertThat(p.pid()).isEqualTo(1234);
    assertThat(p.tid()).isEqualTo(1235);
    assertThat(p.startNs()).isEqualTo(T0 - OFFSET).isEqualTo(6_000_000_000L);
    assertThat(p.endNs()).isEqualTo(6_001_000_000L);
    assertThat(p.depth()).isZero();
    assertThat(p.attributes()).isEqualTo(f.attributes());
    assertThat(p.span()).isSameAs(f);
  }

  @Test
  void thePidFallsBackToASpanAttributeAndMayBeADecimalString() {
    assertThat(SpanPhases.pid(foreign(span("a", T0, kv("process.pid", 77)).build(), List.of())))
        .isEqualTo(77);
    assertThat(SpanPhases.pid(foreign(span("a", T0).build(), List.of(kv("process.pid", " 88")))))
        .isEqualTo(88);
    assertThat(
            SpanPhases.pid(
                foreign(
                    span("a", T0, kv("process.pid", 2)).build(), List.of(kv("process.pid", 1)))))
        .as("the resource wins")
        .isEqualTo(1);
    assertThat(SpanPhases.tid(foreign(span("a", T0, kv("thread.id", "99")).build(), List.of())))
        .isEqualTo(99);
  }

  @Test
  void withoutAPidThePhaseIsUncorrelatedAndWithoutAThreadProcessWide() {
    Phase p = SpanPhases.phase(foreign(span("lonely", T0).build(), List.of()), CLOCK);
    assertThat(p.pid()).isZero();
    assertThat(p.tid()).isZero();
    assertThat(p.processWide()).isTrue();
  }

  @Test
  void valuesThatCannotBeLinuxIdsCountAsAbsent() {
    long pythonGetIdent = 140_234_567_890_123L;
    ForeignSpan f =
        foreign(
            span("a", T0, kv("thread.id", pythonGetIdent)).build(),
            List.of(kv("process.pid", "abc")));
    assertThat(SpanPhases.pid(f)).isZero();
    assertThat(SpanPhases.tid(f)).isZero();
    assertThat(SpanPhases.tid(foreign(span("a", T0, kv("thread.id", -5)).build(), List.of())))
        .isZero();
    assertThat(
            SpanPhases.tid(
                foreign(
                    span("a", T0, kv("thread.id", SpanPhases.PID_MAX_LIMIT)).build(), List.of())))
        .isEqualTo(4_194_304);
  }

  @TempDir Path noProcesses;

  @Test
  void aSpanNamingNoSandboxIsTheOneItsConnectionCameFromNotItsPids() {
    SandboxDirectory empty =
        new SandboxDirectory(
            new HostPaths(noProcesses, noProcesses, noProcesses), System::nanoTime);
    Sandbox gvisor = new Sandbox(Sandbox.Kind.GVISOR, "sandbox", Optional.empty());
    int[] asked = {0};
    Supplier<Optional<SandboxDirectory.Match>> origin =
        () -> {
          asked[0]++;
          return Optional.of(
              new SandboxDirectory.Match(4321, gvisor, SandboxDirectory.BY_CONNECTION));
        };
    ForeignSpan f =
        foreign(
            span("generate", T0, kv("thread.id", 3)).build(),
            List.of(kv("process.pid", 1), kv("container.id", "ab".repeat(32))));

    Phase p = SpanPhases.phase(f, CLOCK, empty, origin);

    assertThat(asked[0]).as("no container.id matched, so the connection is asked").isOne();
    assertThat(p.pid()).as("the Sentry's, never the span's pid 1").isEqualTo(4321);
    assertThat(p.tid()).isZero();
    assertThat(p.attributes().get(SpanPhases.MATCHED_BY)).isEqualTo("connection");
    assertThat(p.attributes().get(Sandbox.SANDBOX)).isEqualTo("gvisor");
    assertThat(p.attributes().get(Sandbox.SCHED_OBSERVABLE)).isFalse();

    Phase own = SpanPhases.phase(f, CLOCK, empty, Optional::empty);
    assertThat(own.pid()).as("a connection from no sandbox: the span's own pid").isEqualTo(1);
    assertThat(own.attributes().get(SpanPhases.MATCHED_BY)).isNull();
  }
}
