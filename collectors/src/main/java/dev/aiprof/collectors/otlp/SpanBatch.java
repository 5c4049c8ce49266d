package dev.aiprof.collectors.otlp;

import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.sandbox.SandboxDirectory;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The phases of one export request, and what could not be made into one.
 *
 * @param phases one per valid span, in request order
 * @param invalid spans rejected (see {@link SpanConverter#problem})
 * @param firstProblem why the first rejected span was rejected, or null
 * @param withoutPid phases with pid 0
 * @param withoutThread phases with tid 0
 * @param matched phases by what matched them to a process, indexed by {@link MatchedBy#ordinal}
 */
record SpanBatch(
    List<Phase> phases,
    int invalid,
    String firstProblem,
    int withoutPid,
    int withoutThread,
    int[] matched) {

  /** What matched a span to a process, as the {@link OtlpMetrics#MATCHED_BY} attribute. */
  enum MatchedBy {
    /** A sandbox named by the resource's {@code container.id}. */
    CONTAINER_ID("container.id"),
    /** A sandbox named by the resource's {@code k8s.pod.uid}. */
    POD_UID("k8s.pod.uid"),
    /** The sandbox the span's connection came from. */
    CONNECTION(SandboxDirectory.BY_CONNECTION),
    /** The span's own {@code process.pid}. */
    PID("process.pid"),
    /** Nothing: pid 0, not correlated. */
    NONE("none");

    private final String label;

    MatchedBy(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }

    static MatchedBy of(Phase p) {
      String by = p.attributes() == null ? null : p.attributes().get(SpanPhases.MATCHED_BY);
      for (MatchedBy m : values()) {
        if (m.label.equals(by) && m.ordinal() < PID.ordinal()) {
          return m;
        }
      }
      return p.pid() == 0 ? NONE : PID;
    }
  }

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
    return of(request, clock, trimmer, sandboxes, null, null);
  }

  /**
   * As above; spans that name no sandbox are matched by the connection they came on ({@code peer} →
   * {@code local}), looked up at most once per request and only if such a span is in it.
   *
   * @param peer the sender's end of the connection, or null when unknown
   * @param local the receiver's end, or null when unknown
   */
  static SpanBatch of(
      ExportTraceServiceRequest request,
      ClockSync clock,
      SpanTrimmer trimmer,
      SandboxDirectory sandboxes,
      InetSocketAddress peer,
      InetSocketAddress local) {
    Supplier<Optional<SandboxDirectory.Match>> origin = origin(sandboxes, peer, local);
    int[] matched = new int[MatchedBy.values().length];
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
              SpanPhases.phase(
                  SpanConverter.convert(s, resource, ss.getScope()), clock, sandboxes, origin);
          matched[MatchedBy.of(p).ordinal()]++;
          noPid += p.pid() == 0 ? 1 : 0;
          noThread += p.tid() == 0 ? 1 : 0;
          phases.add(p);
        }
      }
    }
    return new SpanBatch(List.copyOf(phases), invalid, first, noPid, noThread, matched);
  }

  /** The sandbox the connection came from, looked up once, on first use. */
  private static Supplier<Optional<SandboxDirectory.Match>> origin(
      SandboxDirectory sandboxes, InetSocketAddress peer, InetSocketAddress local) {
    if (sandboxes == null || peer == null || local == null) {
      return Optional::empty;
    }
    return new Supplier<>() {
      private Optional<SandboxDirectory.Match> match;

      @Override
      public Optional<SandboxDirectory.Match> get() {
        if (match == null) {
          match = sandboxes.byConnection(peer, local);
        }
        return match;
      }
    };
  }

  /** Phases matched by {@code by}. */
  int matched(MatchedBy by) {
    return matched[by.ordinal()];
  }

  /** The partial-success message for the sender, or "" when nothing was rejected. */
  String rejectionMessage() {
    if (invalid == 0) {
      return "";
    }
    return invalid + " of " + (invalid + phases.size()) + " spans rejected; first: " + firstProblem;
  }
}
