package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet client against a real HTTPS server on loopback serving recorded responses. */
class KubeletPodSourceTest {
  @TempDir Path dir;
  final KubeServer server = KubeServer.start("good-token");

  @AfterEach
  void stop() {
    server.close();
  }

  KubeletPodSource source(SSLContext tls, String token, URI url, Duration timeout)
      throws IOException {
    return new KubeletPodSource(
        new KubeClient(tls, new TokenFile(KubeServer.tokenFile(dir, token)), timeout), url);
  }

  KubeletPodSource source(String token) throws IOException {
    return source(
        TlsContexts.trusting(TestTls.caFile()), token, server.uri("/pods"), Duration.ofSeconds(5));
  }

  @Test
  void listsThePodsWithTheBearerToken() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (KubeletPodSource s = source("good-token")) {
      assertThat(s.pods()).hasSize(6);
    }
    assertThat(server.requests()).containsExactly("/pods");
  }

  @Test
  void aWrongTokenIsRefusedWith401AfterOneRereadOfTheFile() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (KubeletPodSource s = source("stale-token")) {
      assertThatThrownBy(s::pods)
          .isInstanceOfSatisfying(
              KubeApiException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining("GET /pods answered 401 (the service-account token was refused")
          .hasMessageContaining("Unauthorized")
          .hasMessageNotContaining("stale-token");
    }
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void aRotatedTokenIsReadAgainWhenTheFileChanges() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (KubeletPodSource s = source("good-token")) {
      assertThat(s.pods()).isNotEmpty();
      Path token = dir.resolve("token");
      FileTime before = Files.getLastModifiedTime(token);
      Files.writeString(token, "rotated-token\n");
      Files.setLastModifiedTime(token, FileTime.fromMillis(before.toMillis() + 1000));
      server.acceptOnly("rotated-token");
      assertThat(s.pods()).isNotEmpty();
    }
    // no 401 on the way: the change of modification time was enough
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void aRotatedTokenThatKeptItsModificationTimeIsReadAgainAfterA401() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (KubeletPodSource s = source("good-token")) {
      assertThat(s.pods()).isNotEmpty();
      Path token = dir.resolve("token");
      FileTime before = Files.getLastModifiedTime(token);
      Files.writeString(token, "rotated-token\n");
      Files.setLastModifiedTime(token, before);
      server.acceptOnly("rotated-token");
      assertThat(s.pods()).isNotEmpty();
    }
    assertThat(server.requests()).hasSize(3); // ok, 401, ok
  }

  @Test
  void forbiddenSaysWhichPermissionIsMissing() throws IOException {
    server.route("/pods", (ex, n) -> KubeServer.send(ex, 403, KubeServer.status(403, "Forbidden")));
    try (KubeletPodSource s = source("good-token")) {
      assertThatThrownBy(s::pods).hasMessageContaining("get on nodes/proxy");
    }
  }

  @Test
  void aCertificateTheCaDidNotSignIsRefused() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    try (KubeletPodSource s =
        source(
            TlsContexts.trusting(TestTls.otherCaFile()),
            "good-token",
            server.uri("/pods"),
            Duration.ofSeconds(5))) {
      assertThatThrownBy(s::pods).isInstanceOf(SSLHandshakeException.class);
    }
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void aHostNameTheCertificateDoesNotNameIsRefusedUnlessVerificationIsOff() throws IOException {
    server.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
    URI byName = URI.create(server.uri("/pods").toString().replace("127.0.0.1", "localhost"));
    try (KubeletPodSource s =
        source(
            TlsContexts.trusting(TestTls.caFile()), "good-token", byName, Duration.ofSeconds(5))) {
      assertThatThrownBy(s::pods)
          .isInstanceOf(SSLHandshakeException.class)
          .hasMessageContaining("localhost");
    }
    try (KubeletPodSource s =
        source(TlsContexts.insecure(), "good-token", byName, Duration.ofSeconds(5))) {
      assertThat(s.pods()).hasSize(6);
    }
  }

  @Test
  void aKubeletThatDoesNotAnswerTimesOut() throws IOException, InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    server.route(
        "/pods",
        (ex, n) -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    try (KubeletPodSource s =
        source(
            TlsContexts.trusting(TestTls.caFile()),
            "good-token",
            server.uri("/pods"),
            Duration.ofMillis(300))) {
      long t0 = System.nanoTime();
      assertThatThrownBy(s::pods).isInstanceOf(HttpTimeoutException.class);
      // bounded by the timeout, not by the server (which would hold it 30 s)
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    } finally {
      release.countDown();
    }
  }

  @Test
  void aMissingTokenFileSaysWhatToDo() throws IOException {
    try (KubeletPodSource s =
        new KubeletPodSource(
            new KubeClient(
                TlsContexts.trusting(TestTls.caFile()),
                new TokenFile(dir.resolve("absent")),
                Duration.ofSeconds(1)),
            server.uri("/pods"))) {
      assertThatThrownBy(s::pods)
          .hasMessageContaining(
              "not found: mount a service-account token or set identity.token-file");
    }
  }
}
