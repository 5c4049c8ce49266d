package dev.aiprof.report.model;

import dev.aiprof.api.category.Category;

/**
 * The span attributes and events the report reads. The agent's scheduler signal writes each
 * thread-time category as {@code aiprof.sched.<category id>_ms} (see the README's correlation
 * section); GPU signals write {@code aiprof.gpu.*} attributes, of which those ending in {@code _ms}
 * are device time. The recorded fixture, written by a real agent, checks these names.
 */
public final class SpanKeys {
  public static final String STALL_EVENT = "aiprof.sched.stall";
  public static final String STALL_KIND = "aiprof.sched.stall.kind";
  public static final String STALL_MS = "aiprof.sched.stall.duration_ms";
  public static final String COVERAGE = "aiprof.sched.coverage";
  public static final String ORIGIN = "aiprof.phase.origin";
  public static final String GPU_PREFIX = "aiprof.gpu.";
  public static final String THREAD_NAME = "thread.name";

  public static final String GENAI_OPERATION = "gen_ai.operation.name";
  public static final String GENAI_MODEL = "gen_ai.request.model";
  public static final String GENAI_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String GENAI_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";

  private SpanKeys() {}

  /** The attribute that holds a thread-time category's milliseconds. */
  public static String sched(Category c) {
    return "aiprof.sched." + c.id() + "_ms";
  }
}
