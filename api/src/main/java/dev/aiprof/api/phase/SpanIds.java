package dev.aiprof.api.phase;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace ids for a phase the agent turns into a span of its own (marker, NVTX, JFR phases): a source
 * that knows nesting gives a nested phase its outer phase's trace id and span id as parent, so the
 * exported spans form a tree. Lower-case hex, 32 and 16 characters; parent empty for a root.
 */
public record SpanIds(String traceId, String spanId, String parentSpanId) {

  /** Ids for a new root phase. */
  public static SpanIds root() {
    return new SpanIds(hex(16), hex(8), "");
  }

  /** Ids for a phase nested in this one. */
  public SpanIds child() {
    return new SpanIds(traceId, hex(8), spanId);
  }

  private static String hex(int bytes) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder(bytes * 2);
    for (int i = 0; i < bytes; i++) {
      int v = r.nextInt(256);
      b.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
    }
    String s = b.toString();
    return s.chars().allMatch(c -> c == '0') ? hex(bytes) : s;
  }
}
