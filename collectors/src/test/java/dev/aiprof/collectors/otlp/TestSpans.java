package dev.aiprof.collectors.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;

/** Builders for OTLP protobuf messages in tests. */
final class TestSpans {
  static final String TRACE = "5b8efff798038103d269b633813fc60c";
  static final String SPAN = "eee19b7ec3c1b174";
  static final String PARENT = "eee19b7ec3c1b173";

  private TestSpans() {}

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static KeyValue kv(String key, AnyValue v) {
    return KeyValue.newBuilder().setKey(key).setValue(v).build();
  }

  static KeyValue kv(String key, String v) {
    return kv(key, AnyValue.newBuilder().setStringValue(v).build());
  }

  static KeyValue kv(String key, long v) {
    return kv(key, AnyValue.newBuilder().setIntValue(v).build());
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue num(long n) {
    return AnyValue.newBuilder().setIntValue(n).build();
  }

  static AnyValue array(AnyValue... values) {
    return AnyValue.newBuilder()
        .setArrayValue(ArrayValue.newBuilder().addAllValues(List.of(values)))
        .build();
  }

  /** A valid span named {@code name}, 1 ms long from {@code start}, with the given attributes. */
  static Span.Builder span(String name, long start, KeyValue... attributes) {
    return Span.newBuilder()
        .setTraceId(id(TRACE))
        .setSpanId(id(SPAN))
        .setName(name)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + 1_000_000)
        .addAllAttributes(List.of(attributes));
  }

  static ExportTraceServiceRequest request(List<KeyValue> resource, Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder().setName("test").setVersion("1.0"))
                        .addAllSpans(List.of(spans))))
        .build();
  }
}
