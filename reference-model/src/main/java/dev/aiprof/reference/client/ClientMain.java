package dev.aiprof.reference.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.reference.Flags;
import dev.aiprof.reference.ProgressLine;
import dev.aiprof.reference.trace.Marker;
import dev.aiprof.reference.trace.Steps;
import dev.aiprof.reference.trace.Steps.Step;
import dev.aiprof.reference.trace.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code aiprof-reference client [flags]}: sends {@code requests} completions to the server from
 * {@code concurrency} threads {@code client-N}, each request a root span of kind CLIENT whose W3C
 * {@code traceparent} the server continues, so one trace runs from here through every step. Prints
 * {@code progress requests DONE TOTAL} and, at the end, {@code result JSON} ({@link Tally}).
 */
public final class ClientMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final TextMapSetter<HttpRequest.Builder> HEADERS =
      (b, k, v) -> {
        if (b != null) {
          b.header(k, v);
        }
      };

  private ClientMain() {}

  public static void run(String[] args) throws Exception {
    ClientSettings s = ClientSettings.from(Flags.parse(args, 1, ClientSettings.KEYS));
    ProgressLine out = new ProgressLine(System.out);
    try (Telemetry t = Telemetry.start("aiprof-reference-client", s.traces(), null, Map.of());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      Steps steps = new Steps(t.api().getTracer("dev.aiprof.reference.client"), Marker.NONE);
      Tally tally = new Tally();
      AtomicInteger next = new AtomicInteger();
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < s.concurrency(); c++) {
        threads.add(
            Thread.ofPlatform()
                .name("client-" + c)
                .start(
                    () -> {
                      for (int i; (i = next.getAndIncrement()) < s.requests(); ) {
                        send(s, t, steps, http, i, tally);
                        out.progress("requests", tally.done(), s.requests());
                      }
                    }));
      }
      for (Thread th : threads) {
        th.join();
      }
      tally.wall(System.nanoTime() - t0);
      t.flush();
      out.result(tally.json());
    }
  }

  private static void send(
      ClientSettings s, Telemetry t, Steps steps, HttpClient http, int i, Tally tally) {
    long start = System.nanoTime();
    try (Step span = steps.open("POST /v1/completions", SpanKind.CLIENT, Context.root(), false)) {
      ObjectNode body = JSON.createObjectNode();
      body.put("prompt", Questions.get(i));
      body.put("max_tokens", s.maxTokens());
      HttpRequest.Builder b =
          HttpRequest.newBuilder(s.server().resolve("/v1/completions"))
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      t.api().getPropagators().getTextMapPropagator().inject(Context.current(), b, HEADERS);
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      span.span().setAttribute(STATUS, (long) r.statusCode());
      if (r.statusCode() != 200) {
        span.span().setStatus(StatusCode.ERROR);
        tally.error();
        return;
      }
      JsonNode a = JSON.readTree(r.body());
      tally.ok(
          System.nanoTime() - start,
          a.path("output_tokens").asInt(),
          a.path("time_to_first_token_s").asDouble(),
          a.path("time_per_output_token_s").asDouble());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      System.err.println("client: request " + i + " failed: " + e);
      tally.error();
    }
  }
}
