package dev.aiprof.collectors.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

class SpanTrimmerTest {
  private final LimitCounts counts = new LimitCounts();
  private final SpanTrimmer trimmer = new SpanTrimmer(new SpanLimits(4, 8, 2, 1), counts);

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static Span.Builder span() {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8]))
        .setName("step");
  }

  @Test
  void aSpanWithinTheLimitsIsTheSameObject() {
    Span s = span().addAttributes(kv("a", "short")).build();
    assertThat(trimmer.trim(s)).isSameAs(s);
    assertThat(counts.get(LimitCounts.Kind.ATTRIBUTES)).isZero();
  }

  @Test
  void beyondTheLimitsItemsAreDroppedAndValuesTruncatedAndCounted() {
    Span.Builder b = span().setName("a-very-long-name");
    for (int i = 0; i < 6; i++) {
      b.addAttributes(kv("k" + i, "v" + i));
    }
    b.setAttributes(0, kv("long", "0123456789abcdef"));
    b.addAttributes(
        1,
        KeyValue.newBuilder()
            .setKey("arr")
            .setValue(
                AnyValue.newBuilder()
                    .setArrayValue(
                        ArrayValue.newBuilder()
                            .addValues(AnyValue.newBuilder().setStringValue("ok"))
                            .addValues(AnyValue.newBuilder().setStringValue("too-long-value")))));
    for (int i = 0; i < 3; i++) {
      b.addEvents(Span.Event.newBuilder().setName("e" + i));
      b.addLinks(
          Span.Link.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[16]))
              .setSpanId(ByteString.copyFrom(new byte[8])));
    }
    Span t = trimmer.trim(b.build());
    assertThat(t.getName()).isEqualTo("a-very-l");
    assertThat(t.getAttributesList()).hasSize(4);
    assertThat(t.getAttributes(0).getValue().getStringValue()).isEqualTo("01234567");
    assertThat(t.getAttributes(1).getValue().getArrayValue().getValues(1).getStringValue())
        .isEqualTo("too-long");
    assertThat(t.getEventsList()).extracting(Span.Event::getName).containsExactly("e0", "e1");
    assertThat(t.getLinksList()).hasSize(1);
    assertThat(counts.get(LimitCounts.Kind.ATTRIBUTES)).isEqualTo(3);
    assertThat(counts.get(LimitCounts.Kind.VALUE_LENGTH)).isEqualTo(2);
    assertThat(counts.get(LimitCounts.Kind.EVENTS)).isEqualTo(1);
    assertThat(counts.get(LimitCounts.Kind.LINKS)).isEqualTo(2);
    assertThat(counts.get(LimitCounts.Kind.NAME)).isEqualTo(1);
  }
}
