package dev.aiprof.collectors.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.aiprof.api.log.ThrottledLog;
import dev.aiprof.collectors.otlp.HttpBody.Format;
import dev.aiprof.collectors.otlp.OtlpMetrics.Outcome;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Map;

/**
 * OTLP/HTTP: {@code POST /v1/traces} with {@code application/x-protobuf} or {@code
 * application/json}, optionally {@code Content-Encoding: gzip}. Answers 200 with an
 * ExportTraceServiceResponse (partial success when spans were invalid); 400 for a body that cannot
 * be decoded, 404 for other paths ({@code /v1/metrics} and {@code /v1/logs} say that only traces
 * are received), 405 for other methods, 413 above the size limit, 415 for other content types or
 * encodings, 503 with {@code Retry-After} when the queue is full. Error bodies are {@code
 * google.rpc.Status} messages in the request's format. Runs on the receiver's executor; never
 * blocks on the consumer. Thread-safe.
 */
final class HttpTracesHandler implements HttpHandler {
  static final String TRANSPORT = "http";
  static final String TRACES = "/v1/traces";

  private static final ThrottledLog LOG = ThrottledLog.of(HttpTracesHandler.class);

  private final TraceIntake intake;
  private final OtlpCounters counters;
  private final int maxRequestBytes;
  private final RequestBudget budget;

  HttpTracesHandler(TraceIntake intake, OtlpCounters counters, int maxRequestBytes) {
    this.intake = intake;
    this.counters = counters;
    this.maxRequestBytes = maxRequestBytes;
    this.budget = RequestBudget.forLimit(maxRequestBytes);
  }

  @Override
  public void handle(HttpExchange ex) {
    Format format = Format.of(ex.getRequestHeaders().getFirst("Content-Type"));
    try (ex) {
      HttpReply reply;
      try {
        reply = route(ex, format);
      } catch (IOException e) {
        return; // the client went away while sending: nobody to answer
      } catch (RuntimeException | StackOverflowError e) {
        LOG.log(System.Logger.Level.WARNING, "otlp.http.failed", "OTLP/HTTP request failed", e);
        reply = HttpReply.error(500, Code.INTERNAL, "internal error: " + e.getClass().getName());
      }
      reply.send(ex, format);
    } catch (IOException e) {
      // the client went away before the answer: nothing to do
    }
  }

  private HttpReply route(HttpExchange ex, Format format) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (!path.equals(TRACES)) {
      counters.request(TRANSPORT, Outcome.UNSUPPORTED);
      boolean otherSignal = path.equals("/v1/metrics") || path.equals("/v1/logs");
      String why =
          otherSignal
              ? "the aiprof agent receives only traces over OTLP (POST /v1/traces); send metrics"
                  + " and logs to an OpenTelemetry Collector or your backend"
              : "no such path " + path + ": OTLP traces go to POST /v1/traces";
      return HttpReply.error(404, otherSignal ? Code.UNIMPLEMENTED : Code.NOT_FOUND, why);
    }
    if (!ex.getRequestMethod().equals("POST")) {
      counters.request(TRANSPORT, Outcome.UNSUPPORTED);
      return HttpReply.error(
          405,
          Code.UNIMPLEMENTED,
          "use POST for " + TRACES + ", not " + ex.getRequestMethod(),
          Map.of("Allow", "POST"));
    }
    HttpReply unsupported = unsupported(ex, format);
    if (unsupported != null) {
      counters.request(TRANSPORT, Outcome.UNSUPPORTED);
      return unsupported;
    }
    return export(ex, format);
  }

  private static HttpReply unsupported(HttpExchange ex, Format format) {
    if (format == null) {
      String type = ex.getRequestHeaders().getFirst("Content-Type");
      return HttpReply.error(
          415,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Type '"
              + type
              + "': send application/x-protobuf or application/json");
    }
    String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
    if (!HttpBody.supportedEncoding(encoding)) {
      return HttpReply.error(
          415,
          Code.INVALID_ARGUMENT,
          "unsupported Content-Encoding '" + encoding + "': send gzip or no encoding");
    }
    return null;
  }

  private HttpReply export(HttpExchange ex, Format format) throws IOException {
    RequestBudget.Share share;
    try {
      share = budget.take(shareOf(ex));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (share == null) {
      counters.request(TRANSPORT, Outcome.BUSY);
      return HttpReply.error(
          503,
          Code.UNAVAILABLE,
          "the aiprof agent is reading "
              + (budget.total() >> 20)
              + " MiB of requests already: retry after "
              + TraceIntake.RETRY_AFTER_SECONDS
              + "s",
          Map.of(
              "Retry-After",
              String.valueOf(TraceIntake.RETRY_AFTER_SECONDS),
              "Connection",
              "close"));
    }
    try (share) {
      return decodeAndAccept(ex, format);
    }
  }

  /** The bytes a request may hold: its declared length, or the limit when unknown or gzipped. */
  private long shareOf(HttpExchange ex) {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    boolean gzip = HttpBody.isGzip(ex.getRequestHeaders().getFirst("Content-Encoding"));
    if (gzip || length == null || !length.strip().matches("\\d{1,18}")) {
      return maxRequestBytes;
    }
    return Math.min(Long.parseLong(length.strip()), maxRequestBytes);
  }

  private HttpReply decodeAndAccept(HttpExchange ex, Format format) throws IOException {
    ExportTraceServiceRequest request;
    try {
      request = decode(ex, format);
    } catch (HttpBody.TooLargeException e) {
      counters.request(TRANSPORT, Outcome.TOO_LARGE);
      return HttpReply.error(
          413, Code.RESOURCE_EXHAUSTED, e.getMessage(), Map.of("Connection", "close"));
    } catch (BadBodyException e) {
      counters.request(TRANSPORT, Outcome.BAD_REQUEST);
      return HttpReply.error(400, Code.INVALID_ARGUMENT, e.getMessage());
    }
    TraceIntake.Result r =
        intake.accept(request, TRANSPORT, ex.getRemoteAddress(), ex.getLocalAddress());
    if (r.outcome() == Outcome.QUEUE_FULL) {
      return HttpReply.error(
          503,
          Code.UNAVAILABLE,
          TraceIntake.queueFullMessage(),
          Map.of("Retry-After", String.valueOf(TraceIntake.RETRY_AFTER_SECONDS)));
    }
    return HttpReply.ok(r.response());
  }

  private ExportTraceServiceRequest decode(HttpExchange ex, Format format)
      throws IOException, BadBodyException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && length.strip().matches("\\d{1,18}")) {
      if (Long.parseLong(length.strip()) > maxRequestBytes) {
        throw new HttpBody.TooLargeException(maxRequestBytes);
      }
    }
    boolean gzip = HttpBody.isGzip(ex.getRequestHeaders().getFirst("Content-Encoding"));
    byte[] body;
    try {
      body = HttpBody.read(ex.getRequestBody(), gzip, maxRequestBytes);
    } catch (java.util.zip.ZipException e) {
      throw new BadBodyException("the body is not valid gzip data: " + e.getMessage());
    }
    if (format == Format.JSON) {
      return OtlpJson.parse(body);
    }
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new BadBodyException(
          "the body is not a protobuf-encoded OTLP ExportTraceServiceRequest: " + e.getMessage());
    }
  }
}
