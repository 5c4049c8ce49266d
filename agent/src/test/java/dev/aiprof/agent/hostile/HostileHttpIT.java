package dev.aiprof.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.http.HttpServers;
import dev.aiprof.testing.backends.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients and hostile payloads against one running {@code aiprof run} (issue 12, findings 3
 * and 8 and the hostile-input list): the agent stays up, memory stays bounded, rejections are
 * counted, and well-behaved clients are served within a second.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHttpIT {
  /** The latency a well-behaved client is promised while the agent is under attack. */
  static final double SERVED_WITHIN_MS = 1000;

  @TempDir static Path dir;
  static HostileAgent agent;
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    agent = new HostileAgent(dir, Map.of());
    agent.awaitRunning();
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  static HttpResponse<String> post(byte[] body, String type, String encoding) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(agent.traces())
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status of a protobuf export to {@code a}'s receiver. */
  static int postTo(HostileAgent a, byte[] body) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(a.traces())
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static HttpResponse<String> proto(byte[] body) throws Exception {
    return post(body, "application/x-protobuf", null);
  }

  @Test
  void slowClientsStallNeitherTheReceiverNorMetrics() throws Exception {
    int slow = 50;
    try (SlowClients otlp = new SlowClients(agent.httpPort, slow, "POST /v1/traces HTTP/1.1");
        SlowClients metrics = new SlowClients(agent.metricsPort, slow, "GET /metrics HTTP/1.1")) {
      byte[] valid = Payloads.valid().toByteArray();
      Latency sends = Latency.of(100, () -> assertThat(proto(valid).statusCode()).isEqualTo(200));
      Latency scrapes =
          Latency.of(50, () -> assertThat(agent.get("/metrics").statusCode()).isEqualTo(200));
      System.out.printf(
          "slow-client: OTLP/HTTP well-behaved p50 %.1f ms p99 %.1f ms with %d slow connections%n",
          sends.percentile(50), sends.percentile(99), slow);
      System.out.printf(
          "slow-client: /metrics well-behaved p50 %.1f ms p99 %.1f ms with %d slow connections%n",
          scrapes.percentile(50), scrapes.percentile(99), slow);
      assertThat(sends.percentile(99)).isLessThan(SERVED_WITHIN_MS);
      assertThat(scrapes.percentile(99)).isLessThan(SERVED_WITHIN_MS);
      long t0 = System.nanoTime();
      Await.until(
          "the server to close slow connections",
          Duration.ofSeconds(30),
          Duration.ofMillis(500),
          () -> otlp.open() == 0 && metrics.open() == 0 ? Boolean.TRUE : null,
          () -> "still open: " + otlp.open() + " OTLP, " + metrics.open() + " metrics");
      System.out.printf(
          "slow-client: all %d slow connections closed by the server %.1f s after the"
              + " measurements (request deadline 10 s)%n",
          2 * slow, (System.nanoTime() - t0) / 1e9);
    }
  }

  @Test
  void hostileBodiesAreRefusedAndCounted() throws Exception {
    long rss0 = agent.rssMiB();
    assertThat(proto(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f}).statusCode())
        .as("malformed protobuf")
        .isEqualTo(400);
    assertThat(post("{\"resourceSpans\":[{".getBytes(), "application/json", null).statusCode())
        .as("malformed JSON")
        .isEqualTo(400);
    assertThat(proto(Payloads.nested(200).toByteArray()).statusCode())
        .as("protobuf nested 200 deep")
        .isEqualTo(400);
    assertThat(post(Payloads.nestedJson(5000), "application/json", null).statusCode())
        .as("JSON nested 5000 deep")
        .isEqualTo(400);
    byte[] bomb = Payloads.gzipBomb(256L << 20);
    HttpResponse<String> b = post(bomb, "application/x-protobuf", "gzip");
    assertThat(b.statusCode()).as("256 MiB gzip bomb (%d bytes)", bomb.length).isEqualTo(413);
    assertThat(proto(new byte[5 << 20]).statusCode()).as("5 MiB body").isEqualTo(413);
    long rss1 = agent.rssMiB();
    System.out.printf(
        "hostile-bodies: malformed protobuf/JSON 400, nesting 200 (protobuf) and 5000 (JSON) 400,"
            + " %d KiB gzip bomb of 256 MiB 413, 5 MiB body 413; RSS %d -> %d MiB%n",
        bomb.length >> 10, rss0, rss1);
    assertThat(agent.alive()).isTrue();
    assertThat(agent.metric("aiprof_otlp_requests_total{aiprof_otlp_outcome=\"too_large\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(agent.metric("aiprof_otlp_requests_total{aiprof_otlp_outcome=\"bad_request\""))
        .isGreaterThanOrEqualTo(4);
    assertThat(rss1).isLessThan(512);
  }

  @Test
  void aFloodOfMalformedRequestsIsCountedNotLogged() throws Exception {
    int before = agent.err.size();
    byte[] garbage = {0x0a, (byte) 0xff, (byte) 0xff, 0x7f};
    long t0 = System.nanoTime();
    int n = 2000;
    for (int i = 0; i < n; i++) {
      assertThat(proto(garbage).statusCode()).isEqualTo(400);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    int lines = agent.err.size() - before;
    Latency ok =
        Latency.of(
            20,
            () -> assertThat(proto(Payloads.valid().toByteArray()).statusCode()).isEqualTo(200));
    System.out.printf(
        "flood: %d malformed requests in %.1f s, %d log lines, RSS %d MiB, then well-behaved p99"
            + " %.1f ms%n",
        n, s, lines, agent.rssMiB(), ok.percentile(99));
    assertThat(lines).isLessThanOrEqualTo(2);
    assertThat(ok.percentile(99)).isLessThan(SERVED_WITHIN_MS);
  }

  @Test
  void oversizedSpansAreTrimmedToTheLimitsAndCounted() throws Exception {
    var s = Payloads.span("huge");
    s.addAttributes(Payloads.kv("big", Payloads.str("x".repeat(3_900_000))));
    for (int i = 0; i < 1000; i++) {
      s.addAttributes(Payloads.kv("a" + i, Payloads.integer(i)));
    }
    for (int i = 0; i < 300; i++) {
      s.addEvents(io.opentelemetry.proto.trace.v1.Span.Event.newBuilder().setName("e" + i));
    }
    var r =
        proto(
            Payloads.request(Payloads.kv("process.pid", Payloads.integer(1)), s.build())
                .toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    String limited = "aiprof_otlp_spans_limited_total{aiprof_otlp_limit=";
    double attrs = agent.metric(limited + "\"attributes\"");
    double values = agent.metric(limited + "\"value_length\"");
    double events = agent.metric(limited + "\"events\"");
    System.out.printf(
        "span-limits: 1 span with 1001 attributes (one of 3.9 MB) and 300 events: %.0f attributes"
            + " dropped, %.0f values truncated, %.0f events dropped%n",
        attrs, values, events);
    assertThat(attrs).isGreaterThanOrEqualTo(873);
    assertThat(values).isGreaterThanOrEqualTo(1);
    assertThat(events).isGreaterThanOrEqualTo(172);
  }

  @Test
  void badIdsAndPidsAreRejectedOrIgnoredNeverFatal() throws Exception {
    var badId =
        Payloads.span("bad-id").setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[3]));
    var zeroSpan =
        Payloads.span("zero").setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]));
    var r =
        proto(
            Payloads.request(
                    Payloads.kv("process.pid", Payloads.integer(1)),
                    badId.build(),
                    zeroSpan.build())
                .toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    int accepted = 0;
    for (var pid :
        new io.opentelemetry.proto.common.v1.AnyValue[] {
          Payloads.integer(-5), Payloads.integer(1L << 40), Payloads.str("abc"), Payloads.integer(0)
        }) {
      if (proto(
                  Payloads.request(Payloads.kv("process.pid", pid), Payloads.span("p").build())
                      .toByteArray())
              .statusCode()
          == 200) {
        accepted++;
      }
    }
    double rejected =
        agent.metric("aiprof_otlp_spans_rejected_total{aiprof_otlp_reason=\"invalid\"");
    double withoutPid = agent.metric("aiprof_otlp_spans_without_pid_total");
    System.out.printf(
        "bad-ids: 2 spans with bad ids rejected as partial success (%.0f invalid counted), 4 bad"
            + " pids accepted as pid-less (%.0f without pid)%n",
        rejected, withoutPid);
    assertThat(accepted).isEqualTo(4);
    assertThat(rejected).isGreaterThanOrEqualTo(2);
    assertThat(withoutPid).isGreaterThanOrEqualTo(4);
    assertThat(agent.alive()).isTrue();
  }

  @Test
  void healthEndpointsAnswer() throws Exception {
    HttpResponse<String> live = agent.get("/healthz");
    HttpResponse<String> ready = agent.get("/readyz?format=json");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).startsWith("ok liveness");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).startsWith("{\"status\":\"ok\"");
    assertThat(agent.get("/nothing").statusCode()).isEqualTo(404);
  }

  /**
   * More idle connections than the cap: those beyond it are closed at accept, the rest when the 10
   * s request deadline passes without a byte, and the receiver then serves again. Last: while it
   * runs, new connections are refused.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void connectionsBeyondTheCapAreClosedAndIdleOnesExpire() throws Exception {
    int n = HttpServers.MAX_CONNECTIONS + 100;
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", agent.httpPort), 5000);
        s.setSoTimeout(20);
        sockets.add(s);
      }
      int atAccept =
          Await.until(
              "connections beyond the cap to be closed",
              Duration.ofSeconds(5),
              Duration.ofMillis(100),
              () -> {
                int c = closed(sockets);
                return c >= n - HttpServers.MAX_CONNECTIONS ? c : null;
              },
              () -> "closed: " + closed(sockets));
      long t0 = System.nanoTime();
      Await.until(
          "idle connections to expire",
          Duration.ofSeconds(30),
          Duration.ofMillis(500),
          () -> closed(sockets) == n ? Boolean.TRUE : null,
          () -> "closed: " + closed(sockets));
      double expired = (System.nanoTime() - t0) / 1e9;
      Latency after =
          Latency.of(
              10, () -> assertThat(postTo(agent, Payloads.valid().toByteArray())).isEqualTo(200));
      System.out.printf(
          "connection-cap: %d idle connections (cap %d): %d closed at accept, the rest %.1f s"
              + " later; then served p99 %.1f ms%n",
          n, HttpServers.MAX_CONNECTIONS, atAccept, expired, after.percentile(99));
      assertThat(atAccept).isLessThan(n);
      assertThat(agent.alive()).isTrue();
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** Sockets the server has closed (EOF or reset); a read timeout means still open. */
  private static int closed(List<Socket> sockets) {
    int n = 0;
    for (Socket s : sockets) {
      try {
        if (s.isClosed() || s.getInputStream().read() < 0) {
          n++;
        }
      } catch (java.net.SocketTimeoutException e) {
        // open
      } catch (IOException e) {
        n++;
      }
    }
    return n;
  }
}
