package dev.aiprof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.api.health.HealthSource;
import dev.aiprof.testing.Requires;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier against a real AF_UNIX datagram socket (a python3 receiver, as systemd's is): what
 * it sends when ready, while healthy, when a liveness check fails and when stopping.
 */
@Requires(tools = "python3")
class ServiceNotifierTest {
  private static final String RECEIVER =
      "import socket,sys\n"
          + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
          + "p=sys.argv[1]\n"
          + "s.bind('\\0'+p[1:] if p.startswith('@') else p)\n"
          + "print('bound',flush=True)\n"
          + "while True: print(s.recv(4096).decode().replace('\\n','|'),flush=True)\n";

  @TempDir Path tmp;

  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

  private Process receiver(String path) throws Exception {
    Process p =
        new ProcessBuilder("python3", "-c", RECEIVER, path).redirectErrorStream(true).start();
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  received.add(l);
                }
              } catch (java.io.IOException e) {
                received.add("receiver: " + e);
              }
            });
    assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("bound");
    return p;
  }

  private List<String> until(String wanted) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      String l = received.poll(100, TimeUnit.MILLISECONDS);
      if (l != null) {
        seen.add(l);
        if (l.startsWith(wanted)) {
          return seen;
        }
      }
    }
    throw new AssertionError("no " + wanted + " in " + seen);
  }

  @Test
  void readyThenWatchdogWhileHealthyThenStatusThenStopping() throws Exception {
    String path = tmp.resolve("notify").toString();
    Process p = receiver(path);
    AtomicBoolean alive = new AtomicBoolean(true);
    HealthSource liveness =
        () ->
            List.of(
                alive.get()
                    ? HealthCheck.pass("thread:aiprof-test", "running")
                    : HealthCheck.fail("thread:aiprof-test", "died: boom"));
    try (ServiceNotifier n =
        ServiceNotifier.start(
                Map.of("NOTIFY_SOCKET", path, "WATCHDOG_USEC", "100000"),
                liveness,
                "probes attached")
            .orElseThrow()) {
      assertThat(until("READY=1")).containsExactly("READY=1|STATUS=probes attached");
      until("WATCHDOG=1");
      until("WATCHDOG=1");
      alive.set(false);
      assertThat(until("STATUS=unhealthy"))
          .last()
          .isEqualTo("STATUS=unhealthy, watchdog not fed: thread:aiprof-test (died: boom)");
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("no ping while unhealthy").isNull();
      alive.set(true);
      assertThat(until("WATCHDOG=1")).last().isEqualTo("WATCHDOG=1|STATUS=running");
    } finally {
      until("STOPPING=1");
      p.destroy();
    }
  }

  @Test
  void abstractSocketAndNoWatchdogWhenNotAsked() throws Exception {
    String path = "@aiprof-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Process p = receiver(path);
    try (ServiceNotifier n =
        ServiceNotifier.start(Map.of("NOTIFY_SOCKET", path), HealthSource.NONE, "up")
            .orElseThrow()) {
      assertThat(until("READY=1")).containsExactly("READY=1|STATUS=up");
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    } finally {
      until("STOPPING=1");
      p.destroy();
    }
  }

  @Test
  void nothingWithoutNotifySocketAndWatchdogForAnotherPid() {
    assertThat(ServiceNotifier.start(Map.of(), HealthSource.NONE, "x")).isEmpty();
    assertThat(
            ServiceNotifier.start(Map.of("NOTIFY_SOCKET", "/x".repeat(60)), HealthSource.NONE, "x"))
        .as("a path too long for sun_path: logged, not thrown")
        .isEmpty();
    assertThat(ServiceNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000")))
        .hasSeconds(15);
    assertThat(
            ServiceNotifier.watchdogInterval(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")))
        .isNull();
  }
}
