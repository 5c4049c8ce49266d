package dev.aiprof.collectors.otlp;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.sandbox.SandboxDirectory;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The phases of one export request, and what could not be made into one.
 *
 * @param phases one per valid span, in request order
 * @param invalid spans rejected (see {@link SpanConverter#problem})
 * @param firstProblem why the first rejected span was rejected, or null
 * @param withoutPid phases with pid 0
 * @param withoutThread phases with tid 0
 */
record SpanBatch(
    List<Phase> phases, int invalid, String firstProblem, int withoutPid, int withoutThread) {

  /** Converts a whole request within the default limits (tests). */
  static SpanBatch of(ExportTraceServiceRequest request, ClockSync clock) {
    return of(request, clock, new SpanTrimmer(SpanLimits.DEFAULT, new LimitCounts()));
  }

  /** Converts a whole request within the trimmer's limits. The clock only converts times. */
  static SpanBatch of(ExportTraceServiceRequest request, ClockSync clock, SpanTrimmer trimmer) {
    return of(request, clock, trimmer, null);
  }

  /** As above; spans naming a sandboxed container or pod are matched through {@code sandboxes}. */
  static SpanBatch of(
      ExportTraceServiceRequest request,
      ClockSync clock,
      SpanTrimmer trimmer,
      SandboxDirectory sandboxes) {
    List<Phase> phases = new ArrayList<>();
    int invalid = 0;
    int noPid = 0;
    int noThread = 0;
    String first = null;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Attributes resource =
          AnyValues.attributes(trimmer.attributes(rs.getResource().getAttributesList()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span received : ss.getSpansList()) {
          String problem = SpanConverter.problem(received);
          if (problem != null) {
            invalid++;
            first = first == null ? problem : first;
            continue;
          }
          Span s = trimmer.trim(received);
          Phase p =
              SpanPhases.phase(SpanConverter.convert(s, resource, ss.getScope()), clock, sandboxes);
          noPid += p.pid() == 0 ? 1 : 0;
          noThread += p.tid() == 0 ? 1 : 0;
          phases.add(p);
        }
      }
    }
    return new SpanBatch(List.copyOf(phases), invalid, first, noPid, noThread);
  }

  /** The partial-success message for the sender, or "" when nothing was rejected. */
  String rejectionMessage() {
    if (invalid == 0) {
      return "";
    }
    return invalid + " of " + (invalid + phases.size()) + " spans rejected; first: " + firstProblem;
  }
}
