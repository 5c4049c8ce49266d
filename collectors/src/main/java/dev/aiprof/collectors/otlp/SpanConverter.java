package dev.aiprof.collectors.otlp;

import com.google.protobuf.ByteString;
import dev.aiprof.api.phase.ForeignSpan;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One OTLP span (with its resource and scope) → a {@link ForeignSpan} holding all of it: ids as
 * lower-case hex, parent (empty for a root), trace state, flags, name, kind, times, status,
 * attributes, events, links, resource attributes, scope name and version. What the record has no
 * field for is not kept: dropped-item counts, scope attributes, schema URLs, and the trace state
 * and flags of links. Pure and thread-safe.
 */
final class SpanConverter {
  private static final HexFormat HEX = HexFormat.of();

  private SpanConverter() {}

  /**
   * Why the span cannot be accepted (ids of the wrong length or all zeros, no start time, end
   * before start), or null when it can. OTLP senders get this in the partial-success message.
   */
  static String problem(Span s) {
    String p = id("trace_id", s.getTraceId(), 16, false);
    p = p != null ? p : id("span_id", s.getSpanId(), 8, false);
    p = p != null ? p : id("parent_span_id", s.getParentSpanId(), 8, true);
    for (int i = 0; p == null && i < s.getLinksCount(); i++) {
      Span.Link l = s.getLinks(i);
      p = id("links[" + i + "].trace_id", l.getTraceId(), 16, false);
      p = p != null ? p : id("links[" + i + "].span_id", l.getSpanId(), 8, false);
    }
    if (p == null && s.getStartTimeUnixNano() <= 0) {
      p =
          s.getStartTimeUnixNano() == 0
              ? "start_time_unix_nano is not set"
              : "start_time_unix_nano is past 2262";
    }
    if (p == null && s.getEndTimeUnixNano() < s.getStartTimeUnixNano()) {
      p = "end_time_unix_nano is before start_time_unix_nano";
    }
    return p == null ? null : "span '" + s.getName() + "': " + p;
  }

  private static String id(String field, ByteString id, int size, boolean mayBeEmpty) {
    if (id.isEmpty() && mayBeEmpty) {
      return null;
    }
    if (id.size() != size) {
      return field + " is " + id.size() + " bytes, not " + size;
    }
    for (int i = 0; i < size; i++) {
      if (id.byteAt(i) != 0) {
        return null;
      }
    }
    return field + " is all zeros";
  }

  /** Converts a span that has no {@link #problem}. */
  static ForeignSpan convert(Span s, Attributes resource, InstrumentationScope scope) {
    Status st = s.getStatus();
    return new ForeignSpan(
        hex(s.getTraceId()),
        hex(s.getSpanId()),
        hex(s.getParentSpanId()),
        s.getTraceState(),
        s.getFlags(),
        s.getName(),
        kind(s.getKind()),
        s.getStartTimeUnixNano(),
        s.getEndTimeUnixNano(),
        status(st.getCode()),
        st.getMessage(),
        AnyValues.attributes(s.getAttributesList()),
        events(s.getEventsList()),
        links(s.getLinksList()),
        resource,
        scope.getName(),
        scope.getVersion());
  }

  static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  static SpanKind kind(Span.SpanKind k) {
    return switch (k) {
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  static StatusCode status(Status.StatusCode c) {
    return switch (c) {
      case STATUS_CODE_OK -> StatusCode.OK;
      case STATUS_CODE_ERROR -> StatusCode.ERROR;
      default -> StatusCode.UNSET;
    };
  }

  private static List<ForeignSpan.Event> events(List<Span.Event> events) {
    List<ForeignSpan.Event> out = new ArrayList<>(events.size());
    for (Span.Event e : events) {
      out.add(
          new ForeignSpan.Event(
              e.getName(), e.getTimeUnixNano(), AnyValues.attributes(e.getAttributesList())));
    }
    return out;
  }

  private static List<ForeignSpan.Link> links(List<Span.Link> links) {
    List<ForeignSpan.Link> out = new ArrayList<>(links.size());
    for (Span.Link l : links) {
      out.add(
          new ForeignSpan.Link(
              hex(l.getTraceId()),
              hex(l.getSpanId()),
              AnyValues.attributes(l.getAttributesList())));
    }
    return out;
  }
}
