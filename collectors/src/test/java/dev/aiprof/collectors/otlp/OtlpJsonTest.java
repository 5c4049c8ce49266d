package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.PARENT;
import static dev.aiprof.collectors.otlp.TestSpans.SPAN;
import static dev.aiprof.collectors.otlp.TestSpans.TRACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  /** The shape of the OTLP specification's own trace example, with every quirk in use. */
  static final String EXAMPLE =
      """
      {"resourceSpans": [{
        "resource": {"attributes": [
          {"key": "service.name", "value": {"stringValue": "vllm"}},
          {"key": "process.pid", "value": {"intValue": "4242"}}]},
        "scopeSpans": [{
          "scope": {"name": "vllm.engine", "version": "0.6.1"},
          "spans": [{
            "traceId": "5B8EFFF798038103D269B633813FC60C",
            "spanId": "eee19b7ec3c1b174",
            "parentSpanId": "eee19b7ec3c1b173",
            "name": "decode",
            "kind": 2,
            "startTimeUnixNano": "1544712660000000000",
            "endTimeUnixNano": 1544712661000000000,
            "attributes": [
              {"key": "thread.id", "value": {"intValue": 4243}},
              {"key": "ratio", "value": {"doubleValue": 0.5}},
              {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}]}}}],
            "events": [{"timeUnixNano": "1544712660500000000", "name": "first-token"}],
            "links": [{"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1112131415161718"}],
            "status": {"code": "STATUS_CODE_ERROR", "message": "oom"},
            "aFieldFromTheFuture": {"x": 1}
          }, {
            "trace_id": "5b8efff798038103d269b633813fc60c",
            "span_id": "eee19b7ec3c1b175",
            "parent_span_id": "",
            "name": "snake",
            "kind": "SPAN_KIND_CLIENT",
            "start_time_unix_nano": 1544712660000000000,
            "end_time_unix_nano": 1544712660000000001
          }]
        }]
      }]}
      """;

  private static ExportTraceServiceRequest parse(String json) throws BadBodyException {
    return OtlpJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsHexIdsEnumNumbersAndNamesStringOrNumberIntegersAndBothNameStyles() throws Exception {
    ExportTraceServiceRequest r = parse(EXAMPLE);

    Span decode = r.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(SpanConverter.hex(decode.getTraceId())).isEqualTo(TRACE);
    assertThat(SpanConverter.hex(decode.getSpanId())).isEqualTo(SPAN);
    assertThat(SpanConverter.hex(decode.getParentSpanId())).isEqualTo(PARENT);
    assertThat(decode.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(decode.getStartTimeUnixNano()).isEqualTo(1_544_712_660_000_000_000L);
    assertThat(decode.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_000L);
    assertThat(decode.getAttributes(0).getValue().getIntValue()).isEqualTo(4243);
    assertThat(decode.getAttributes(2).getValue().getArrayValue().getValues(0))
        .isEqualTo(AnyValue.newBuilder().setStringValue("a").build());
    assertThat(decode.getEvents(0).getTimeUnixNano()).isEqualTo(1_544_712_660_500_000_000L);
    assertThat(SpanConverter.hex(decode.getLinks(0).getTraceId()))
        .isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(SpanConverter.hex(decode.getLinks(0).getSpanId())).isEqualTo("1112131415161718");
    assertThat(decode.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(r.getResourceSpans(0).getResource().getAttributes(1).getValue().getIntValue())
        .isEqualTo(4242);

    Span snake = r.getResourceSpans(0).getScopeSpans(0).getSpans(1);
    assertThat(SpanConverter.hex(snake.getSpanId())).isEqualTo("eee19b7ec3c1b175");
    assertThat(snake.getParentSpanId().isEmpty()).isTrue();
    assertThat(snake.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(SpanConverter.problem(snake)).isNull();
  }

  @Test
  void base64IdsAreRefusedWithTheReason() {
    String base64 = EXAMPLE.replace("eee19b7ec3c1b174", "7uGbfsPBsXQ=");
    assertThatThrownBy(() -> parse(base64))
        .isInstanceOf(BadBodyException.class)
        .hasMessage(
            "resourceSpans[0].scopeSpans[0].spans[0].spanId is '7uGbfsPBsXQ=', not 16 hex digits"
                + " (OTLP/JSON encodes trace and span ids as hex, not base64)");
    String link = EXAMPLE.replace("1112131415161718", "11121314151617zz");
    assertThatThrownBy(() -> parse(link))
        .hasMessageStartingWith("resourceSpans[0].scopeSpans[0].spans[0].links[0].spanId is");
    String number = EXAMPLE.replace("\"eee19b7ec3c1b175\"", "12");
    assertThatThrownBy(() -> parse(number))
        .hasMessageStartingWith(
            "resourceSpans[0].scopeSpans[0].spans[1].span_id is '12', not 16 hex digits");
  }

  @Test
  void malformedJsonIsNamedWithItsPosition() {
    assertThatThrownBy(() -> parse("{\"resourceSpans\": [}"))
        .isInstanceOf(BadBodyException.class)
        .hasMessageStartingWith("the body is not valid JSON: Unexpected close marker '}'")
        .hasMessageEndingWith("(line 1, column 20)");
    assertThatThrownBy(() -> parse("[1, 2]"))
        .hasMessage("an OTLP/JSON trace export is a JSON object with \"resourceSpans\"");
    assertThatThrownBy(() -> parse(""))
        .hasMessage("an OTLP/JSON trace export is a JSON object with \"resourceSpans\"");
  }

  @Test
  void wrongValueTypesAreNamedByProtobuf() {
    String bad = EXAMPLE.replace("\"1544712660000000000\"", "\"yesterday\"");
    assertThatThrownBy(() -> parse(bad))
        .isInstanceOf(BadBodyException.class)
        .hasMessage(
            "the body is not an OTLP/JSON ExportTraceServiceRequest: Not an uint64 value:"
                + " \"yesterday\"");
  }

  @Test
  void printsResponsesInOtlpJson() {
    assertThat(OtlpJson.print(ExportTraceServiceResponse.getDefaultInstance())).isEqualTo("{}");
    ExportTraceServiceResponse partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("x"))
            .build();
    assertThat(OtlpJson.print(partial))
        .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"x\"}}");
  }
}
