package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Everything the report shows about one window, built from its spans by {@link #of}. Immutable and
 * deterministic: the same spans (in the same order) give an equal model.
 *
 * @param requests every trace, as a request ({@link #served()} are the requests proper)
 * @param total the breakdown of every lane's outermost phases (thread time inside phases, counted
 *     once)
 */
public record WindowModel(
    long startNs,
    long endNs,
    List<String> services,
    List<ProcessGroup> processes,
    List<Lane> lanes,
    List<PhaseBar> phases,
    List<Stall> stalls,
    List<Request> requests,
    List<PhaseStats> phaseStats,
    Breakdown total,
    Histogram ttft,
    Histogram tpot,
    Histogram requestDuration,
    ReadStats read,
    AgentMetrics metrics) {

  /** Stalls kept for the page; the longest first when there are more. */
  public static final int MAX_STALLS = 20_000;

  /** Builds the model from spans sorted by start time (as {@code TraceReader.spans()} returns). */
  public static WindowModel of(List<SpanRecord> spans, ReadStats read) {
    return of(spans, read, AgentMetrics.NONE);
  }

  /** As {@link #of(List, ReadStats)}, with what the metric files add. */
  public static WindowModel of(List<SpanRecord> spans, ReadStats read, AgentMetrics metrics) {
    long start = spans.stream().mapToLong(SpanRecord::startNs).min().orElse(0);
    long end = spans.stream().mapToLong(SpanRecord::endNs).max().orElse(0);
    LaneLayout layout = LaneLayout.of(spans);
    Map<String, Integer> traceIndex = new LinkedHashMap<>();
    for (SpanRecord s : spans) {
      traceIndex.putIfAbsent(s.traceId(), traceIndex.size());
    }
    List<PhaseBar> bars = layout.bars(traceIndex);
    List<Request> requests = Requests.of(bars, traceIndex);
    List<Stall> stalls = Stalls.of(bars, MAX_STALLS);
    Breakdown total = Breakdown.NONE;
    for (PhaseBar b : bars) {
      if (b.depth() == 0) {
        total = total.plus(b.breakdown());
      }
    }
    return new WindowModel(
        start,
        end,
        List.copyOf(new TreeSet<>(spans.stream().map(SpanRecord::service).toList())),
        layout.processes(),
        layout.lanes(),
        bars,
        stalls,
        requests,
        PhaseStatsBuilder.of(bars),
        total,
        Histogram.of(latencies(requests, true)),
        Histogram.of(latencies(requests, false)),
        Histogram.of(served(requests).stream().map(Request::durationMs).toList()),
        read,
        metrics);
  }

  /**
   * The traces that are requests: those with a client or server root, or every trace when none has
   * one (a workload traced only through markers).
   */
  public List<Request> served() {
    return served(requests);
  }

  static List<Request> served(List<Request> all) {
    List<Request> s = all.stream().filter(Request::served).toList();
    return s.isEmpty() ? all : s;
  }

  private static List<Double> latencies(List<Request> requests, boolean ttft) {
    List<Double> out = new ArrayList<>();
    for (Request r : served(requests)) {
      (ttft ? r.ttftMs() : r.tpotMs()).ifPresent(out::add);
    }
    return out;
  }

  /** Requests that carry generation latencies (decode steps). */
  public long generations() {
    return served().stream().filter(r -> r.ttftMs().isPresent()).count();
  }
}
