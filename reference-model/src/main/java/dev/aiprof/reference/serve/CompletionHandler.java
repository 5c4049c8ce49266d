package dev.aiprof.reference.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.aiprof.reference.trace.Steps;
import dev.aiprof.reference.trace.Steps.Step;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /v1/completions} with {@code {"prompt": "...", "max_tokens": N}}: the server span
 * (kind SERVER, the caller's W3C {@code traceparent} as parent), the {@code queue} span while the
 * request waits for a worker (on this HTTP thread, which waits), the worker's steps, then the JSON
 * answer and the GenAI metrics. A full queue answers 503. Thread-safe.
 */
final class CompletionHandler implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final TextMapGetter<HttpExchange> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange carrier) {
          return carrier.getRequestHeaders().keySet();
        }

        @Override
        public String get(HttpExchange carrier, String key) {
          return carrier == null ? null : carrier.getRequestHeaders().getFirst(key);
        }
      };

  private final OpenTelemetry otel;
  private final Steps steps;
  private final BlockingQueue<Job> queue;
  private final GenAiMetrics metrics;
  private final String model;
  private final int maxTokens;

  CompletionHandler(
      OpenTelemetry otel,
      Steps steps,
      BlockingQueue<Job> queue,
      GenAiMetrics metrics,
      String model,
      int maxTokens) {
    this.otel = otel;
    this.steps = steps;
    this.queue = queue;
    this.metrics = metrics;
    this.model = model;
    this.maxTokens = maxTokens;
  }

  @Override
  public void handle(HttpExchange x) throws IOException {
    long arrival = System.nanoTime();
    Context caller =
        otel.getPropagators().getTextMapPropagator().extract(Context.root(), x, HEADERS);
    try (Step server = steps.open("POST /v1/completions", SpanKind.SERVER, caller, false)) {
      server.span().setAttribute(METHOD, "POST").setAttribute(ROUTE, "/v1/completions");
      int status;
      byte[] body;
      try {
        JsonNode in = JSON.readTree(x.getRequestBody());
        String prompt = in.path("prompt").asText("");
        int max = Math.min(maxTokens, Math.max(1, in.path("max_tokens").asInt(maxTokens)));
        Completion c = run(prompt, max, arrival);
        metrics.record(model, System.nanoTime() - arrival, c);
        body = answer(c);
        status = 200;
      } catch (QueueFull e) {
        status = 503;
        body = error(e.getMessage());
      } catch (IOException | RuntimeException e) {
        server.span().recordException(e).setStatus(StatusCode.ERROR);
        status = 500;
        body = error(e.toString());
      }
      server.span().setAttribute(STATUS, (long) status);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(status, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Completion run(String prompt, int max, long arrival) {
    CompletableFuture<Completion> result = new CompletableFuture<>();
    Context parent = Context.current();
    Span q = steps.detached("queue", parent); // ended by the worker that takes the job
    Job job = new Job(prompt, max, arrival, parent, q, result);
    try {
      if (!queue.offer(job)) {
        q.end();
        throw new QueueFull("the request queue is full (" + queue.size() + " waiting)");
      }
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private static byte[] answer(Completion c) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("text", c.text());
    o.put("passage", c.passage());
    o.put("input_tokens", c.inputTokens());
    o.put("output_tokens", c.outputTokens());
    o.put("time_to_first_token_s", c.timeToFirstTokenNanos() / 1e9);
    o.put("time_per_output_token_s", c.timePerOutputTokenNanos() / 1e9);
    return JSON.writeValueAsBytes(o);
  }

  private static byte[] error(String message) {
    return ("{\"error\":" + JSON.valueToTree(message) + "}").getBytes(StandardCharsets.UTF_8);
  }

  static final class QueueFull extends RuntimeException {
    QueueFull(String m) {
      super(m);
    }
  }
}
