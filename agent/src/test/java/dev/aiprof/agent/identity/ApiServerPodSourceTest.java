package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LIST+WATCH against a real HTTPS server on loopback serving recorded API server responses (no
 * kube-apiserver can run here): event handling, resourceVersion, 410 Gone, backoff, close.
 */
class ApiServerPodSourceTest {
  static final List<String> EVENTS = lines("apiserver-watch.jsonl");
  static final String LIST_QUERY = "/api/v1/pods?fieldSelector=spec.nodeName%3Dgpu-node-1";

  @TempDir Path dir;
  final KubeServer server = KubeServer.start("good-token");
  final CountDownLatch hold = new CountDownLatch(1);
  final AtomicInteger lists = new AtomicInteger();
  final AtomicInteger watches = new AtomicInteger();
  ApiServerPodSource source;

  @AfterEach
  void stop() {
    hold.countDown();
    if (source != null) {
      source.close();
    }
    server.close();
  }

  static List<String> lines(String fixture) {
    return new String(Fixtures.bytes(fixture), StandardCharsets.UTF_8).lines().toList();
  }

  /** The API server: LIST answers {@code list}; the n-th WATCH answers {@code watch.apply(n)}. */
  void serve(KubeServer.Responder list, Function<Integer, KubeServer.Responder> watch) {
    server.route(
        "/api/v1/pods",
        (ex, n) -> {
          if (ex.getRequestURI().getQuery().contains("watch=true")) {
            watch.apply(watches.incrementAndGet()).respond(ex, n);
          } else {
            list.respond(ex, lists.incrementAndGet());
          }
        });
  }

  /** Streams {@code lines} as a watch body, then holds the stream open until the test ends. */
  KubeServer.Responder stream(List<String> lines, boolean holdOpen) {
    return (ex, n) -> {
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, 0);
      OutputStream out = ex.getResponseBody();
      for (String line : lines) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
      if (holdOpen) {
        await(hold);
      }
      out.close();
    };
  }

  ApiServerPodSource start() throws IOException {
    return start(Duration.ofMinutes(5));
  }

  ApiServerPodSource start(Duration watchTimeout) throws IOException {
    KubeClient client =
        new KubeClient(
            TlsContexts.trusting(TestTls.caFile()),
            new TokenFile(KubeServer.tokenFile(dir, "good-token")),
            Duration.ofSeconds(1));
    source =
        new ApiServerPodSource(
                client,
                server.uri(""),
                Fixtures.NODE,
                Duration.ofMillis(20),
                Duration.ofMillis(200),
                watchTimeout)
            .start();
    return source;
  }

  Map<String, Pod> pods() throws IOException {
    return source.pods().stream().collect(Collectors.toMap(Pod::name, Function.identity()));
  }

  @Test
  void listsThenWatchesAndAppliesAddedModifiedAndDeleted() throws Exception {
    serve(KubeServer.json(Fixtures.bytes("apiserver-list.json")), n -> stream(EVENTS, true));
    start();
    poll(
        () ->
            watches.get() == 1
                && podsOrEmpty().containsKey("trainer-7d9f8b6c5-x2x9q")
                && !podsOrEmpty().containsKey("debug-shell"));
    Map<String, Pod> pods = pods();
    assertThat(pods).containsOnlyKeys("coredns-5d78c9869d-q7m2k", "trainer-7d9f8b6c5-x2x9q");
    // MODIFIED replaced the pending pod: its containers have ids now
    assertThat(pods.get("trainer-7d9f8b6c5-x2x9q").container(Fixtures.TRAINER_ID)).isPresent();
    List<String> requests = server.requests();
    assertThat(requests.get(0)).isEqualTo(LIST_QUERY);
    assertThat(requests.get(1))
        .startsWith(LIST_QUERY + "&watch=true&allowWatchBookmarks=true&resourceVersion=48213")
        .contains("&timeoutSeconds=300");
  }

  @Test
  void aWatchThatEndsResumesFromTheLastResourceVersion() throws Exception {
    serve(
        KubeServer.json(Fixtures.bytes("apiserver-list.json")),
        n -> stream(n == 1 ? EVENTS : List.of(), n > 1));
    start();
    poll(() -> watches.get() >= 2);
    assertThat(lists).hasValue(1);
    assertThat(server.requests().get(2)).contains("resourceVersion=48231");
  }

  @Test
  void goneAsAnEventMakesItListAgain() throws Exception {
    serve(
        KubeServer.json(Fixtures.bytes("apiserver-list.json")),
        n -> stream(n == 1 ? lines("apiserver-watch-gone.jsonl") : List.of(), true));
    start();
    poll(() -> lists.get() == 2 && watches.get() == 2);
    assertThat(source.failures()).isZero();
    assertThat(source.lists()).isEqualTo(2);
  }

  @Test
  void goneAsAnHttpStatusMakesItListAgain() throws Exception {
    serve(
        KubeServer.json(Fixtures.bytes("apiserver-list.json")),
        n ->
            n == 1
                ? (ex, k) -> KubeServer.send(ex, 410, KubeServer.status(410, "Expired"))
                : stream(List.of(), true));
    start();
    poll(() -> lists.get() == 2 && watches.get() == 2);
    assertThat(source.failures()).isEqualTo(1);
  }

  @Test
  void errorsBackOffUntilTheServerAnswers() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean healthy =
        new java.util.concurrent.atomic.AtomicBoolean();
    serve(
        (ex, n) -> {
          if (healthy.get()) {
            KubeServer.json(Fixtures.bytes("apiserver-list.json")).respond(ex, n);
          } else {
            KubeServer.send(ex, 500, KubeServer.status(500, "etcdserver: request timed out"));
          }
        },
        n -> stream(List.of(), true));
    start();
    poll(() -> source.failures() >= 2);
    assertThatThrownBy(source::pods)
        .hasMessageContaining("pods not listed from the API server yet")
        .hasMessageContaining("answered 500")
        .hasMessageContaining("etcdserver: request timed out");
    healthy.set(true);
    poll(() -> podsOrEmpty().size() == 2);
    assertThat(source.failures()).isEqualTo(lists.get() - 1);
  }

  @Test
  void aWatchTheServerDoesNotEndInTimeIsAbortedAndRenewed() throws Exception {
    // the server ignores timeoutSeconds=1 and holds the stream: a dead connection looks the same
    serve(KubeServer.json(Fixtures.bytes("apiserver-list.json")), n -> stream(EVENTS, true));
    start(Duration.ofSeconds(1));
    poll(() -> watches.get() >= 2);
    assertThat(source.failures()).isGreaterThanOrEqualTo(1);
    assertThat(server.requests().get(1)).contains("timeoutSeconds=1");
    // the second watch resumed after the events the first one delivered
    assertThat(server.requests().get(2)).contains("resourceVersion=48231");
    assertThat(lists).hasValue(1);
  }

  @Test
  void closeAbortsTheOpenWatchAndStopsTheThread() throws Exception {
    serve(KubeServer.json(Fixtures.bytes("apiserver-list.json")), n -> stream(List.of(), true));
    start();
    poll(() -> watches.get() == 1);
    source.close();
    source.close(); // idempotent
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("aiprof-pod-watch"))
                .filter(Thread::isAlive))
        .isEmpty();
  }

  Map<String, Pod> podsOrEmpty() {
    try {
      return pods();
    } catch (IOException e) {
      return Map.of();
    }
  }

  static void poll(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20 s");
      }
      Thread.sleep(10);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
