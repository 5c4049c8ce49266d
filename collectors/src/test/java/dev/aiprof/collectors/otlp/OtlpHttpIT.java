package dev.aiprof.collectors.otlp;

import static dev.aiprof.collectors.otlp.TestSpans.kv;
import static dev.aiprof.collectors.otlp.TestSpans.request;
import static dev.aiprof.collectors.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.ProcStat;
import dev.aiprof.api.phase.Phase;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Raw OTLP/HTTP requests against the running receiver: formats, encodings and every error. */
class OtlpHttpIT {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static HttpResponse<byte[]> post(
      String url, String type, BodyPublisher body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(body);
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(String url, String type, byte[] body, String... headers)
      throws Exception {
    return post(url, type, BodyPublishers.ofByteArray(body), headers);
  }

  private static com.google.rpc.Status jsonStatus(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    com.google.rpc.Status.Builder b = com.google.rpc.Status.newBuilder();
    JsonFormat.parser().merge(new String(r.body()), b);
    return b.build();
  }

  private static com.google.rpc.Status protoStatus(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    return com.google.rpc.Status.parseFrom(r.body());
  }

  private static ExportTraceServiceRequest oneSpan(String name) {
    return request(List.of(kv("process.pid", 4321)), span(name, T0).build());
  }

  @Test
  void otlpJsonIsAcceptedAndAnsweredInJson() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      HttpResponse<byte[]> resp =
          post(r.tracesUrl(), "application/json", OtlpJsonTest.EXAMPLE.getBytes());

      assertThat(resp.statusCode()).isEqualTo(200);
      assertThat(resp.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(new String(resp.body())).isEqualTo("{}");
      Phase decode = r.recorder.await(2).getFirst();
      assertThat(decode.name()).isEqualTo("decode");
      assertThat(decode.pid()).isEqualTo(4242);
      assertThat(decode.tid()).isEqualTo(4243);
      assertThat(decode.span().traceId()).isEqualTo(TestSpans.TRACE);
      assertThat(decode.span().parentSpanId()).isEqualTo(TestSpans.PARENT);
      // The engine asked the follow service for the spans' process, 4242, once per span; there is
      // no such process here, so it is refused as gone and no follower hears of it.
      assertThat(ProcStat.read(HostPaths.defaults(), 4242)).as("no process 4242 here").isEmpty();
      r.pipeline.awaitCorrelated(2, Duration.ofSeconds(10));
      assertThat(r.followRequests(FollowOutcome.GONE)).isEqualTo(2);
      assertThat(r.followRequests(FollowOutcome.FOLLOWED)).isZero();
      assertThat(r.pipeline.pipeline().follows().followed(4242)).isEmpty();
      assertThat(r.follower.followed()).isEmpty();
    }
  }

  @Test
  void gzipProtobufIsAcceptedAndInvalidSpansArePartialSuccess() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      ExportTraceServiceRequest req =
          request(
              List.of(kv("process.pid", 4321)),
              span("good", T0).build(),
              span("bad", T0).setEndTimeUnixNano(T0 - 1).build());
      HttpResponse<byte[]> resp =
          post(
              r.tracesUrl(),
              "application/x-protobuf",
              HttpBodyTest.gzip(req.toByteArray()),
              "Content-Encoding",
              "gzip");

      assertThat(resp.statusCode()).isEqualTo(200);
      ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(resp.body());
      assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
      assertThat(answer.getPartialSuccess().getErrorMessage())
          .isEqualTo(
              "1 of 2 spans rejected; first: span 'bad': end_time_unix_nano is before"
                  + " start_time_unix_nano");
      assertThat(r.recorder.await(1)).extracting(Phase::name).containsExactly("good");
      RecordingSinkValues m = new RecordingSinkValues(r.metrics());
      assertThat(m.get(OtlpMetrics.SPANS_REJECTED, Attributes.of(OtlpMetrics.REASON, "invalid")))
          .isEqualTo(1);
      assertThat(
              m.get(
                  OtlpMetrics.REQUESTS,
                  Attributes.of(OtlpMetrics.TRANSPORT, "http", OtlpMetrics.OUTCOME, "partial")))
          .isEqualTo(1);
    }
  }

  @Test
  void badBodiesAre400WithTheCause() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      HttpResponse<byte[]> proto =
          post(r.tracesUrl(), "application/x-protobuf", "hello".getBytes());
      assertThat(proto.statusCode()).isEqualTo(400);
      com.google.rpc.Status st = protoStatus(proto);
      assertThat(st.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
      assertThat(st.getMessage())
          .startsWith("the body is not a protobuf-encoded OTLP ExportTraceServiceRequest: ");

      HttpResponse<byte[]> json =
          post(r.tracesUrl(), "application/json", "{\"resourceSpans\":".getBytes());
      assertThat(json.statusCode()).isEqualTo(400);
      assertThat(jsonStatus(json).getMessage()).startsWith("the body is not valid JSON: ");

      String base64Ids = OtlpJsonTest.EXAMPLE.replace("eee19b7ec3c1b174", "7uGbfsPBsXQ=");
      HttpResponse<byte[]> ids = post(r.tracesUrl(), "application/json", base64Ids.getBytes());
      assertThat(ids.statusCode()).isEqualTo(400);
      assertThat(jsonStatus(ids).getMessage()).contains("not 16 hex digits");

      HttpResponse<byte[]> gzip =
          post(
              r.tracesUrl(),
              "application/x-protobuf",
              oneSpan("x").toByteArray(),
              "Content-Encoding",
              "gzip");
      assertThat(gzip.statusCode()).isEqualTo(400);
      assertThat(protoStatus(gzip).getMessage()).startsWith("the body is not valid gzip data");
      assertThat(r.recorder.phases).isEmpty();
      assertThat(
              new RecordingSinkValues(r.metrics())
                  .get(
                      OtlpMetrics.REQUESTS,
                      Attributes.of(
                          OtlpMetrics.TRANSPORT, "http", OtlpMetrics.OUTCOME, "bad_request")))
          .isEqualTo(4);
    }
  }

  @Test
  void wrongPathsMethodsTypesAndEncodingsAreRefusedWithTheRightStatus() throws Exception {
    try (RunningReceiver r = new RunningReceiver(new PhaseRecorder(), Map.of())) {
      byte[] body = oneSpan("x").toByteArray();
      HttpResponse<byte[]> text = post(r.tracesUrl(), "text/plain", body);
      assertThat(text.statusCode()).isEqualTo(415);
      assertThat(jsonStatus(text).getMessage())
          .isEqualTo(
              "unsupported Content-Type 'text/plain': send application/x-protobuf or"
                  + " application/json");
      assertThat(post(r.tracesUrl(), null, body).statusCode()).isEqualTo(415);

      HttpResponse<byte[]> br =
          post(r.tracesUrl(), "application/x-protobuf", body, "Content-Encoding", "br");
      assertThat(br.statusCode()).isEqualTo(415);
      assertThat(protoStatus(br).getMessage())
          .isEqualTo("unsupported Content-Encoding 'br': send gzip or no encoding");

      HttpResponse<byte[]> get =
          CLIENT.send(
              HttpRequest.newBuilder(URI.create(r.tracesUrl()))
                  .timeout(java.time.Duration.ofSeconds(10))
                  .GET()
                  .build(),
              BodyHandlers.ofByteArray());
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("Allow")).hasValue("POST");

      String base = "http://127.0.0.1:" + r.httpPort();
      for (String signal : List.of("/v1/metrics", "/v1/logs")) {
        HttpResponse<byte[]> other = post(base + signal, "application/x-protobuf", new byte[0]);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(protoStatus(other).getMessage())
            .startsWith("the aiprof agent receives only traces over OTLP (POST /v1/traces)");
      }
      HttpResponse<byte[]> nowhere = post(base + "/v1/trace", "application/json", new byte[0]);
      assertThat(nowhere.statusCode()).isEqualTo(404);
      assertThat(jsonStatus(nowhere).getMessage())
          .isEqualTo("no such path /v1/trace: OTLP traces go to POST /v1/traces");
      assertThat(r.recorder.phases).isEmpty();
    }
  }

  @Test
  void bodiesAboveTheLimitAre413WhateverTheirFraming() throws Exception {
    try (RunningReceiver r =
        new RunningReceiver(
            new PhaseRecorder(), Map.of(OtlpSettings.MAX_REQUEST_SIZE.key(), "1KiB"))) {
      byte[] big = new byte[2048];
      HttpResponse<byte[]> declared = post(r.tracesUrl(), "application/x-protobuf", big);
      assertThat(declared.statusCode()).isEqualTo(413);
      assertThat(protoStatus(declared).getMessage())
          .isEqualTo("the request body is larger than 1024 bytes (otlp.max-request-size)");

      HttpResponse<byte[]> chunked =
          post(
              r.tracesUrl(),
              "application/x-protobuf",
              BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
      assertThat(chunked.statusCode()).isEqualTo(413);

      byte[] bomb = HttpBodyTest.gzip(new byte[64 * 1024]);
      assertThat(bomb.length).isLessThan(1024);
      HttpResponse<byte[]> inflated =
          post(r.tracesUrl(), "application/x-protobuf", bomb, "Content-Encoding", "gzip");
      assertThat(inflated.statusCode()).isEqualTo(413);
      assertThat(
              new RecordingSinkValues(r.metrics())
                  .get(
                      OtlpMetrics.REQUESTS,
                      Attributes.of(
                          OtlpMetrics.TRANSPORT, "http", OtlpMetrics.OUTCOME, "too_large")))
          .isEqualTo(3);
    }
  }

  @Test
  void aFullQueueIs503WithRetryAfterAndCountsTheRejectedSpans() throws Exception {
    PhaseRecorder held = new PhaseRecorder(true);
    try (RunningReceiver r =
        new RunningReceiver(held, Map.of(OtlpSettings.QUEUE_SIZE.key(), "2"))) {
      ExportTraceServiceRequest two =
          request(List.of(kv("process.pid", 1)), span("a", T0).build(), span("b", T0).build());
      assertThat(post(r.tracesUrl(), "application/x-protobuf", two.toByteArray()).statusCode())
          .isEqualTo(200);

      HttpResponse<byte[]> full =
          post(r.tracesUrl(), "application/x-protobuf", oneSpan("c").toByteArray());
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
      com.google.rpc.Status st = protoStatus(full);
      assertThat(st.getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
      assertThat(st.getMessage()).contains("span queue is full").contains("otlp.queue-size");
      RecordingSinkValues m = new RecordingSinkValues(r.metrics());
      assertThat(m.get(OtlpMetrics.SPANS_REJECTED, Attributes.of(OtlpMetrics.REASON, "queue_full")))
          .isEqualTo(1);
      assertThat(m.get(OtlpMetrics.QUEUED_SPANS, Attributes.empty())).isEqualTo(2);

      held.release();
      held.await(2);
      long deadline = System.nanoTime() + 10_000_000_000L;
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline) {
        status =
            post(r.tracesUrl(), "application/x-protobuf", oneSpan("c").toByteArray()).statusCode();
      }
      assertThat(status).as("accepted again once the consumer caught up").isEqualTo(200);
      assertThat(held.await(3)).extracting(Phase::name).containsExactly("a", "b", "c");
    }
  }
}
