package dev.aiprof.exporters.traces;

import static dev.aiprof.api.HeapBytes.ENTRY;
import static dev.aiprof.api.HeapBytes.chars;

import dev.aiprof.api.HeapBytes;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;

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

  private SpanBytes() {}

  static long of(SpanData s) {
    long n = SPAN + chars(s.getName()) + HeapBytes.of(s.getAttributes());
    for (EventData e : s.getEvents()) {
      n += ENTRY + chars(e.getName()) + HeapBytes.of(e.getAttributes());
    }
    for (LinkData l : s.getLinks()) {
      n += ENTRY + HeapBytes.of(l.getAttributes());
    }
    return n;
  }
}
