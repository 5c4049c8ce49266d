package dev.aiprof.collectors.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@link SpanLimits} to received spans and counts what it cut ({@link LimitCounts}). A span
 * within the limits is returned as it is (checked without copying); only one beyond them is
 * rebuilt. Thread-safe (the counts are).
 */
final class SpanTrimmer {
  private final SpanLimits limits;
  private final LimitCounts counts;

  SpanTrimmer(SpanLimits limits, LimitCounts counts) {
    this.limits = limits;
    this.counts = counts;
  }

  /** The span within the limits. */
  Span trim(Span s) {
    if (within(s)) {
      return s;
    }
    Span.Builder b = s.toBuilder();
    b.setName(name(s.getName()));
    b.clearAttributes().addAllAttributes(attributes(s.getAttributesList()));
    List<Span.Event> events = s.getEventsList();
    if (events.size() > limits.maxEvents()) {
      counts.add(LimitCounts.Kind.EVENTS, events.size() - limits.maxEvents());
      events = events.subList(0, limits.maxEvents());
    }
    b.clearEvents();
    for (Span.Event e : events) {
      b.addEvents(
          e.toBuilder()
              .setName(name(e.getName()))
              .clearAttributes()
              .addAllAttributes(attributes(e.getAttributesList())));
    }
    List<Span.Link> links = s.getLinksList();
    if (links.size() > limits.maxLinks()) {
      counts.add(LimitCounts.Kind.LINKS, links.size() - limits.maxLinks());
      links = links.subList(0, limits.maxLinks());
    }
    b.clearLinks();
    for (Span.Link l : links) {
      b.addLinks(
          l.toBuilder().clearAttributes().addAllAttributes(attributes(l.getAttributesList())));
    }
    return b.build();
  }

  /** Attributes within the count and value limits (a resource's, or any other list). */
  List<KeyValue> attributes(List<KeyValue> kvs) {
    if (kvs.size() <= limits.maxAttributes() && kvs.stream().allMatch(kv -> fits(kv.getValue()))) {
      return kvs;
    }
    List<KeyValue> kept = kvs;
    if (kvs.size() > limits.maxAttributes()) {
      counts.add(LimitCounts.Kind.ATTRIBUTES, kvs.size() - limits.maxAttributes());
      kept = kvs.subList(0, limits.maxAttributes());
    }
    List<KeyValue> out = new ArrayList<>(kept.size());
    for (KeyValue kv : kept) {
      out.add(fits(kv.getValue()) ? kv : kv.toBuilder().setValue(truncate(kv.getValue())).build());
    }
    return out;
  }

  private boolean within(Span s) {
    if (s.getName().length() > limits.maxValueLength()
        || s.getEventsCount() > limits.maxEvents()
        || s.getLinksCount() > limits.maxLinks()
        || !fit(s.getAttributesList())) {
      return false;
    }
    for (Span.Event e : s.getEventsList()) {
      if (e.getName().length() > limits.maxValueLength() || !fit(e.getAttributesList())) {
        return false;
      }
    }
    for (Span.Link l : s.getLinksList()) {
      if (!fit(l.getAttributesList())) {
        return false;
      }
    }
    return true;
  }

  private boolean fit(List<KeyValue> kvs) {
    return kvs.size() <= limits.maxAttributes() && kvs.stream().allMatch(kv -> fits(kv.getValue()));
  }

  private boolean fits(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue().length() <= limits.maxValueLength();
      case BYTES_VALUE -> v.getBytesValue().size() <= limits.maxValueLength();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().allMatch(this::fits);
      case KVLIST_VALUE -> fit(v.getKvlistValue().getValuesList());
      default -> true;
    };
  }

  private AnyValue truncate(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> {
        counts.add(LimitCounts.Kind.VALUE_LENGTH, 1);
        yield AnyValue.newBuilder()
            .setStringValue(v.getStringValue().substring(0, limits.maxValueLength()))
            .build();
      }
      case BYTES_VALUE -> {
        counts.add(LimitCounts.Kind.VALUE_LENGTH, 1);
        yield AnyValue.newBuilder()
            .setBytesValue(v.getBytesValue().substring(0, limits.maxValueLength()))
            .build();
      }
      case ARRAY_VALUE -> {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          a.addValues(fits(e) ? e : truncate(e));
        }
        yield AnyValue.newBuilder().setArrayValue(a).build();
      }
      case KVLIST_VALUE ->
          AnyValue.newBuilder()
              .setKvlistValue(
                  KeyValueList.newBuilder()
                      .addAllValues(attributes(v.getKvlistValue().getValuesList())))
              .build();
      default -> v;
    };
  }

  private String name(String n) {
    if (n.length() <= limits.maxValueLength()) {
      return n;
    }
    counts.add(LimitCounts.Kind.NAME, 1);
    return n.substring(0, limits.maxValueLength());
  }
}
