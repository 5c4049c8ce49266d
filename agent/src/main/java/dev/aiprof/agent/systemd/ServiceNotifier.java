package dev.aiprof.agent.systemd;

import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.api.health.HealthSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Speaks sd_notify(3) to the service manager when it asked (NOTIFY_SOCKET is set, as for a {@code
 * Type=notify} unit): READY=1 once the agent is started, WATCHDOG=1 every half {@code
 * WATCHDOG_USEC} while the liveness source is healthy (when it is not, no ping and a STATUS line
 * naming the failing checks: systemd kills and restarts the service after WatchdogSec), and
 * STOPPING=1 on close. Without NOTIFY_SOCKET it does nothing. A socket that cannot be opened or a
 * failed send is logged once and never stops the agent.
 *
 * <p>Lifecycle: {@link #start} after the probes attach, {@link #close} (idempotent) when stopping.
 * The watchdog runs on one daemon thread, {@code aiprof-watchdog}. Thread-safe.
 */
public final class ServiceNotifier implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ServiceNotifier.class.getName());

  private final NotifySocket socket;
  private final HealthSource liveness;
  private final ScheduledExecutorService timer;
  private final Duration interval;
  private volatile boolean failing;
  private volatile boolean healthy = true;
  private boolean closed;

  private ServiceNotifier(NotifySocket socket, HealthSource liveness, Duration interval) {
    this.socket = socket;
    this.liveness = liveness;
    this.timer =
        interval == null
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("aiprof-watchdog").daemon().unstarted(r));
    this.interval = interval;
  }

  /** Starts the watchdog pings: only after READY=1, which systemd must see first. */
  private void feedWatchdog() {
    if (timer != null) {
      long ms = Math.max(1, interval.toMillis());
      timer.scheduleAtFixedRate(this::tick, 0, ms, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Tells systemd the service is ready and starts feeding its watchdog from {@code liveness}; empty
   * when this process was not started by systemd with a notification socket.
   */
  public static Optional<ServiceNotifier> start(
      Map<String, String> env, HealthSource liveness, String status) {
    String path = env.get("NOTIFY_SOCKET");
    if (path == null || path.isEmpty()) {
      return Optional.empty();
    }
    NotifySocket socket;
    try {
      socket = NotifySocket.open(path);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // systemd then times the start out and says so; the agent itself runs on
      LOG.log(System.Logger.Level.WARNING, "cannot notify systemd: " + e.getMessage());
      return Optional.empty();
    }
    ServiceNotifier n = new ServiceNotifier(socket, liveness, watchdogInterval(env));
    n.send("READY=1\nSTATUS=" + status);
    n.feedWatchdog();
    return Optional.of(n);
  }

  /**
   * Half the watchdog timeout systemd set, or null when it set none (or set it for another process:
   * WATCHDOG_PID names the one it watches).
   */
  static Duration watchdogInterval(Map<String, String> env) {
    String usec = env.get("WATCHDOG_USEC");
    String pid = env.get("WATCHDOG_PID");
    if (usec == null
        || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
      return null;
    }
    try {
      long us = Long.parseLong(usec.strip());
      return us <= 0 ? null : Duration.ofNanos(us * 1000 / 2);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether the last watchdog tick found the agent alive. */
  public boolean healthy() {
    return healthy;
  }

  private void tick() {
    try {
      var checks = liveness.checks();
      boolean ok = checks.stream().allMatch(HealthCheck::ok);
      if (ok) {
        send(healthy ? "WATCHDOG=1" : "WATCHDOG=1\nSTATUS=running");
      } else if (healthy) {
        send(
            "STATUS=unhealthy, watchdog not fed: "
                + checks.stream()
                    .filter(c -> !c.ok())
                    .map(c -> c.name() + " (" + c.detail() + ")")
                    .collect(Collectors.joining(", ")));
      }
      healthy = ok;
    } catch (RuntimeException e) {
      healthy = false; // a liveness source that throws is not alive: no ping
      LOG.log(System.Logger.Level.WARNING, "liveness checks failed: " + e);
    }
  }

  private void send(String message) {
    try {
      socket.send(message);
      failing = false;
    } catch (IllegalStateException e) {
      if (!failing) {
        LOG.log(System.Logger.Level.WARNING, "sd_notify failed (logged once): " + e.getMessage());
      }
      failing = true;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    send("STOPPING=1");
    socket.close();
  }
}
