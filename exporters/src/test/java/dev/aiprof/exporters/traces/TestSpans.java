package dev.aiprof.exporters.traces;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/** Spans for tests. */
public final class TestSpans {
  private TestSpans() {}

  public static SpanRecord span(int i) {
    String trace = String.format("%032x", i + 1);
    String span = String.format("%016x", i + 1);
    return new SpanRecord(
        "phase-" + i,
        SpanKind.INTERNAL,
        SpanContext.create(trace, span, TraceFlags.getSampled(), TraceState.getDefault()),
        SpanContext.getInvalid(),
        StatusData.unset(),
        1_000,
        2_000,
        Attributes.empty(),
        List.of(),
        List.of(),
        InstrumentationScopeInfo.create("test"),
        Resource.empty());
  }
}
