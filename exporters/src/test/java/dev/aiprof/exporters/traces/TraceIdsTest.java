package dev.aiprof.exporters.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class TraceIdsTest {
  @Test
  void traceStateKeepsItsMembersInOrder() {
    TraceState s = TraceIds.parseTraceState("rojo=00f067aa0ba902b7, congo=t61rcWkgMzE");
    assertThat(s.get("rojo")).isEqualTo("00f067aa0ba902b7");
    assertThat(s.get("congo")).isEqualTo("t61rcWkgMzE");
    assertThat(s.asMap().keySet()).containsExactly("rojo", "congo");
  }

  @Test
  void malformedMembersAreSkippedAndEmptyIsDefault() {
    assertThat(TraceIds.parseTraceState("nonsense,a=1,=x,b=").asMap()).containsOnlyKeys("a");
    assertThat(TraceIds.parseTraceState("")).isEqualTo(TraceState.getDefault());
    assertThat(TraceIds.parseTraceState(null)).isEqualTo(TraceState.getDefault());
  }

  @Test
  void contextsFromHexIds() {
    SpanContext c =
        TraceIds.context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1, "k=v");
    assertThat(c.isValid()).isTrue();
    assertThat(c.isSampled()).isTrue();
    assertThat(c.getTraceState().get("k")).isEqualTo("v");
    assertThat(TraceIds.context("zz", "00f067aa0ba902b7", 1, null).isValid()).isFalse();
    assertThat(TraceIds.parent("4bf92f3577b34da6a3ce929d0e0e4736", "", 1).isValid()).isFalse();
    assertThat(
            TraceIds.parent("4bf92f3577b34da6a3ce929d0e0e4736", "1111111111111111", 1).getSpanId())
        .isEqualTo("1111111111111111");
  }
}
