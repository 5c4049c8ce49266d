package dev.aiprof.agent.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.http.HttpServers;
import dev.aiprof.testing.backends.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More idle connections than the cap against a running agent's OTLP/HTTP receiver: those beyond the
 * cap are closed at accept, the rest when the 10 s request deadline passes without a byte, and the
 * receiver then serves again. Its own agent: the flood would refuse other tests' connections.
 */
class ConnectionCapIT {
  @TempDir Path dir;

  @Test
  void connectionsBeyondTheCapAreClosedAndIdleOnesExpire() throws Exception {
    try (HostileAgent agent = new HostileAgent(dir, Map.of())) {
      agent.awaitRunning();
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
                10,
                () ->
                    assertThat(HostileHttpIT.postTo(agent, Payloads.valid().toByteArray()))
                        .isEqualTo(200));
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
