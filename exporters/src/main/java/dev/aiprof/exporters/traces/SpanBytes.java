package dev.aiprof.exporters.traces;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * An estimate of the heap a queued span holds, for the span queue's byte bound: its name, its own
 * attributes, events and links (their keys, values and a per-entry overhead). The resource and the
 * scope are shared by all spans ({@link Canonical}) and not counted. An over-estimate for small
 * values (a fixed overhead per entry), close for large strings, which are what matter (a span with
 * one 4 MB attribute is counted as about 4 MB). Stateless; pure.
 */
final class SpanBytes {
  /** A span's fixed part: ids, times, status, the SpanData object and its lists. */
  static final long SPAN = 400;

  /** Each attribute, event or link entry: key object, map slot, boxed value. */
  static final long ENTRY = 64;

  private SpanBytes() {}

  static long of(SpanData s) {
    long n = SPAN + chars(s.getName()) + of(s.getAttributes());
    for (EventData e : s.getEvents()) {
      n += ENTRY + chars(e.getName()) + of(e.getAttributes());
    }
    for (LinkData l : s.getLinks()) {
      n += ENTRY + of(l.getAttributes());
    }
    return n;
  }

  static long of(Attributes a) {
    long[] n = {0};
    a.forEach((k, v) -> n[0] += ENTRY + chars(k.getKey()) + value(v));
    return n[0];
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

  /** A string's heap: compact strings hold one byte per Latin-1 char, two otherwise. */
  private static long chars(String s) {
    return s == null ? 0 : 40 + 2L * s.length();
  }
}
