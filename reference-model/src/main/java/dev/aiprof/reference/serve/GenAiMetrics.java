package dev.aiprof.reference.serve;

import dev.aiprof.reference.trace.GenAi;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * The GenAI server metrics of the conventions, with their advised explicit bucket boundaries:
 * {@code gen_ai.server.request.duration}, {@code gen_ai.server.time_to_first_token} and {@code
 * gen_ai.server.time_per_output_token} (seconds), with {@code gen_ai.operation.name}, {@code
 * gen_ai.provider.name} and {@code gen_ai.request.model}. Thread-safe.
 */
final class GenAiMetrics {
  private final DoubleHistogram duration;
  private final DoubleHistogram ttft;
  private final DoubleHistogram tpot;

  GenAiMetrics(Meter meter) {
    duration =
        meter
            .histogramBuilder(GenAi.REQUEST_DURATION)
            .setUnit("s")
            .setDescription(
                "Generative AI server request duration such as time-to-last byte or last output token.")
            .setExplicitBucketBoundariesAdvice(GenAi.REQUEST_DURATION_BUCKETS)
            .build();
    ttft =
        meter
            .histogramBuilder(GenAi.TIME_TO_FIRST_TOKEN)
            .setUnit("s")
            .setDescription("Time to generate first token for successful responses.")
            .setExplicitBucketBoundariesAdvice(GenAi.TIME_TO_FIRST_TOKEN_BUCKETS)
            .build();
    tpot =
        meter
            .histogramBuilder(GenAi.TIME_PER_OUTPUT_TOKEN)
            .setUnit("s")
            .setDescription(
                "Time per output token generated after the first token for successful responses.")
            .setExplicitBucketBoundariesAdvice(GenAi.TIME_PER_OUTPUT_TOKEN_BUCKETS)
            .build();
  }

  void record(String model, long durationNanos, Completion c) {
    Attributes a =
        Attributes.of(
            GenAi.OPERATION, GenAi.TEXT_COMPLETION,
            GenAi.PROVIDER, GenAi.PROVIDER_NAME,
            GenAi.REQUEST_MODEL, model);
    duration.record(durationNanos / 1e9, a);
    ttft.record(c.timeToFirstTokenNanos() / 1e9, a);
    if (c.outputTokens() > 1) {
      tpot.record(c.timePerOutputTokenNanos() / 1e9, a);
    }
  }
}
