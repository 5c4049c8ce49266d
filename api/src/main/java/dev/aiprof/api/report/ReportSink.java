package dev.aiprof.api.report;

import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.CorrelatedPhaseSink;
import dev.aiprof.api.profile.StackSample;
import java.util.List;

/**
 * A report beside the OpenTelemetry exporters: the text report of {@code aiprof profile}, an HTML
 * report, a Perfetto trace. It receives every correlated phase and stack sample while the pipeline
 * runs, and the collectors' report sections when it ends.
 *
 * <p>Thread-safety: {@link #accept} runs on the correlation thread and {@link #onStack} on the
 * samplers' threads, both quick and never throwing; {@link #finish} runs once, after both stopped.
 */
public interface ReportSink extends CorrelatedPhaseSink {
  @Override
  void accept(CorrelatedPhase phase);

  /** A stack sample; reports without flame graphs ignore it. */
  default void onStack(StackSample sample) {}

  /** The run ended: write the report, with the collectors' sections (ordered), opened already. */
  void finish(List<ReportSection> sections);
}
