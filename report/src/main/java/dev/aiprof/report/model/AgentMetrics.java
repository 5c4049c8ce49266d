package dev.aiprof.report.model;

import dev.aiprof.report.otlp.MetricReader;
import java.util.List;

/**
 * What the window's metric files add: the agent's non-zero loss counters (the report says what the
 * agent did not see) and GPU utilisation series.
 *
 * @param files metric files read
 * @param overBounds series or points past the reader's bounds
 */
public record AgentMetrics(
    List<MetricReader.Loss> losses,
    List<MetricReader.GpuSeries> gpus,
    int files,
    long overBounds,
    long badLines) {
  public static final AgentMetrics NONE = new AgentMetrics(List.of(), List.of(), 0, 0, 0);

  public static AgentMetrics of(MetricReader r, int files) {
    return new AgentMetrics(r.losses(), r.gpus(), files, r.overBounds(), r.badLines());
  }
}
