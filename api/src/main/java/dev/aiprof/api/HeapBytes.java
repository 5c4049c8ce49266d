package dev.aiprof.api;

import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * Estimates of the heap that strings and attributes hold, for the byte bounds of the agent's queues
 * (the span queue, the correlation engine's inbox). A fixed overhead per entry and two bytes a
 * character: an over-estimate for small values, close for the large strings that matter (one 4 MB
 * attribute is counted as about 4 MB). Stateless; pure.
 */
public final class HeapBytes {
  /** Each attribute, event or link entry: key object, map slot, boxed value. */
  public static final long ENTRY = 64;

  private HeapBytes() {}

  /** The attributes' keys and values, {@link #ENTRY} each on top; 0 for null. */
  public static long of(Attributes a) {
    if (a == null) {
      return 0;
    }
    long[] n = {0};
    a.forEach((k, v) -> n[0] += ENTRY + chars(k.getKey()) + value(v));
    return n[0];
  }

  /** A string's heap, two bytes a character (compact strings use one for Latin-1); 0 for null. */
  public static long chars(String s) {
    return s == null ? 0 : 40 + 2L * s.length();
  }

  private static long value(Object v) {
    if (v instanceof String s) {
      return chars(s);
    }
    if (v instanceof List<?> list) {
      long n = 16;
      for (Object o : list) {
        n += 16 + value(o);
      }
      return n;
    }
    return 16;
  }
}
