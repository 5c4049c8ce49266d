package dev.aiprof.agent.hostile;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

/** Well-formed and hostile OTLP request bodies. Stateless but for a span-id counter. */
final class Payloads {
  private static final AtomicLong IDS = new AtomicLong(1);
  static final long T0 = 1_700_000_000_000_000_000L;

  private Payloads() {}

  static KeyValue kv(String k, AnyValue v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  /** A valid span with a fresh id. */
  static Span.Builder span(String name) {
    long id = IDS.getAndIncrement();
    return Span.newBuilder()
        .setTraceId(ByteString.fromHex("0af7651916cd43dd8448eb211c80319c"))
        .setSpanId(ByteString.fromHex(HexFormat.of().toHexDigits(id)))
        .setName(name)
        .setStartTimeUnixNano(T0)
        .setEndTimeUnixNano(T0 + 1_000_000);
  }

  static ExportTraceServiceRequest request(KeyValue resource, Span... spans) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (Span s : spans) {
      ss.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(resource))
                .addScopeSpans(ss))
        .build();
  }

  static ExportTraceServiceRequest valid() {
    return request(kv("process.pid", integer(1)), span("step").build());
  }

  /** An attribute value nested {@code depth} arrays deep. */
  static ExportTraceServiceRequest nested(int depth) {
    AnyValue v = str("bottom");
    for (int i = 0; i < depth; i++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
    }
    return request(kv("process.pid", integer(1)), span("deep").addAttributes(kv("d", v)).build());
  }

  /** JSON nested {@code depth} arrays deep inside an attribute value. */
  static byte[] nestedJson(int depth) {
    StringBuilder b =
        new StringBuilder(
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
                + "\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"00f067aa0ba902b7\","
                + "\"name\":\"deep\",\"startTimeUnixNano\":\"1700000000000000000\","
                + "\"endTimeUnixNano\":\"1700000000001000000\",\"attributes\":[{\"key\":\"d\","
                + "\"value\":");
    b.append("{\"arrayValue\":{\"values\":[".repeat(depth));
    b.append("{\"stringValue\":\"x\"}");
    b.append("]}}".repeat(depth));
    b.append("}]}]}]}]}");
    return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** {@code n} zero bytes, gzipped (a few hundred KiB for hundreds of MiB). */
  static byte[] gzipBomb(long n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] zeros = new byte[1 << 20];
    try (GZIPOutputStream z = new GZIPOutputStream(out, 1 << 16)) {
      for (long w = 0; w < n; w += zeros.length) {
        z.write(zeros);
      }
    }
    return out.toByteArray();
  }
}
