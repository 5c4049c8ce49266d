package dev.aiprof.collectors.otlp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OTLP/JSON ↔ protobuf. OTLP/JSON is protobuf's JSON mapping with quirks that protobuf-java-util's
 * {@link JsonFormat} alone does not handle: trace and span ids are hex strings, not base64. So the
 * body is read with Jackson, the ids of spans and links (under {@code resourceSpans[].scopeSpans[]
 * .spans[]}, in lowerCamelCase or the proto's snake_case) are turned from hex into base64, and
 * {@link JsonFormat} does the rest: enums as names or integers, 64-bit integers as strings or
 * numbers, either field-name style; unknown fields are ignored, as OTLP requires of receivers.
 * Thread-safe.
 */
final class OtlpJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /**
   * Parses a request body.
   *
   * @throws BadBodyException saying what is wrong and where
   */
  static ExportTraceServiceRequest parse(byte[] body) throws BadBodyException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw new BadBodyException("the body is not valid JSON: " + e.getOriginalMessage() + at(e));
    } catch (java.io.IOException e) {
      throw new BadBodyException("the body could not be read as JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadBodyException(
          "an OTLP/JSON trace export is a JSON object with \"resourceSpans\"");
    }
    hexIdsToBase64(root);
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    try {
      PARSER.merge(MAPPER.writeValueAsString(root), b);
    } catch (InvalidProtocolBufferException | JacksonException e) {
      throw new BadBodyException(
          "the body is not an OTLP/JSON ExportTraceServiceRequest: " + e.getMessage());
    }
    return b.build();
  }

  static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  private static void hexIdsToBase64(JsonNode root) throws BadBodyException {
    String rsName = root.has("resourceSpans") ? "resourceSpans" : "resource_spans";
    JsonNode resourceSpans = root.path(rsName);
    for (int r = 0; r < resourceSpans.size(); r++) {
      JsonNode rs = resourceSpans.path(r);
      String ssName = rs.has("scopeSpans") ? "scopeSpans" : "scope_spans";
      JsonNode scopeSpans = rs.path(ssName);
      for (int s = 0; s < scopeSpans.size(); s++) {
        JsonNode spans = scopeSpans.path(s).path("spans");
        for (int i = 0; i < spans.size(); i++) {
          String at = rsName + "[" + r + "]." + ssName + "[" + s + "].spans[" + i + "]";
          span(spans.path(i), at);
        }
      }
    }
  }

  private static void span(JsonNode span, String at) throws BadBodyException {
    id(span, "traceId", "trace_id", 16, at);
    id(span, "spanId", "span_id", 8, at);
    id(span, "parentSpanId", "parent_span_id", 8, at);
    JsonNode links = span.path("links");
    for (int l = 0; l < links.size(); l++) {
      id(links.path(l), "traceId", "trace_id", 16, at + ".links[" + l + "]");
      id(links.path(l), "spanId", "span_id", 8, at + ".links[" + l + "]");
    }
  }

  private static void id(JsonNode parent, String camel, String snake, int bytes, String at)
      throws BadBodyException {
    if (!(parent instanceof ObjectNode o)) {
      return;
    }
    String field = o.has(camel) ? camel : snake;
    JsonNode v = o.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
      return;
    }
    String text = v.isTextual() ? v.asText() : v.toString();
    if (!v.isTextual() || text.length() != 2 * bytes || !isHex(text)) {
      throw new BadBodyException(
          at
              + "."
              + field
              + " is '"
              + text
              + "', not "
              + 2 * bytes
              + " hex digits (OTLP/JSON encodes trace and span ids as hex, not base64)");
    }
    o.set(field, TextNode.valueOf(Base64.getEncoder().encodeToString(HEX.parseHex(text))));
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!HexFormat.isHexDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String at(JacksonException e) {
    JsonLocation l = e.getLocation();
    return l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
  }
}
