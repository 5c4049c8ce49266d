package dev.aiprof.reference.trace;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The OpenTelemetry GenAI semantic conventions the reference service follows (attribute keys,
 * operation names, the server metrics and their advised explicit bucket boundaries, in seconds). A
 * span of a model call is named {@code "{gen_ai.operation.name} {gen_ai.request.model}"}.
 */
public final class GenAi {
  public static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> MAX_TOKENS =
      AttributeKey.longKey("gen_ai.request.max_tokens");
  public static final AttributeKey<Long> DIMENSIONS =
      AttributeKey.longKey("gen_ai.embeddings.dimension.count");
  public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");

  /** {@code gen_ai.operation.name} values. */
  public static final String EMBEDDINGS = "embeddings";

  public static final String TEXT_COMPLETION = "text_completion";

  /** {@code gen_ai.provider.name} of the reference service's own engines. */
  public static final String PROVIDER_NAME = "aiprof";

  public static final String REQUEST_DURATION = "gen_ai.server.request.duration";
  public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
  public static final String TIME_PER_OUTPUT_TOKEN = "gen_ai.server.time_per_output_token";

  public static final List<Double> REQUEST_DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  public static final List<Double> TIME_TO_FIRST_TOKEN_BUCKETS =
      List.of(
          0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5,
          10.0);
  public static final List<Double> TIME_PER_OUTPUT_TOKEN_BUCKETS =
      List.of(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);

  private GenAi() {}

  /** A model call's span name. */
  public static String spanName(String operation, String model) {
    return operation + " " + model;
  }
}
