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
    ReadStats read) {

  /** Stalls kept for the page; the longest first when there are more. */
  public static final int MAX_STALLS = 20_000;

  /** Builds the model from spans sorted by start time (as {@code TraceReader.spans()} returns). */
  public static WindowModel of(List<SpanRecord> spans, ReadStats read) {
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
        Histogram.of(requests.stream().map(Request::durationMs).toList()),
        read);
  }

  private static List<Double> latencies(List<Request> requests, boolean ttft) {
    List<Double> out = new ArrayList<>();
    for (Request r : requests) {
      (ttft ? r.ttftMs() : r.tpotMs()).ifPresent(out::add);
    }
    return out;
  }

  /** Requests that carry generation latencies (decode steps). */
  public long generations() {
    return requests.stream().filter(r -> r.ttftMs().isPresent()).count();
  }
}
