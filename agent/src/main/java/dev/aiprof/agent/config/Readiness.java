package dev.aiprof.agent.config;

import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.api.health.HealthSource;
import dev.aiprof.exporters.LastExport;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.pipeline.CollectorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's readiness ({@code /readyz}): probes attached and exporters reachable. One check per
 * collector, {@code probe:NAME}: a running one passes; one the user chose by name ({@code
 * --collectors}, {@code --enable}) that failed or was skipped fails with why; one that is off by
 * default or could not run here passes, saying so (an agent without a GPU is ready). One check per
 * pushing exporter, {@code exporter:traces} / {@code exporter:metrics/otlp}...: it passes until an
 * export fails, then only while a success is within the window ({@code agent.ready-export-window}).
 * Answers from state kept by others (no I/O). Thread-safe.
 */
public final class Readiness implements HealthSource {
  private final Supplier<List<CollectorStatus>> statuses;
  private final CollectorChoice choice;
  private final Supplier<List<LastExport>> exports;
  private final LongSupplier nanoClock;
  private volatile Duration window;

  public Readiness(
      Supplier<List<CollectorStatus>> statuses,
      CollectorChoice choice,
      Supplier<List<LastExport>> exports,
      Duration window,
      LongSupplier nanoClock) {
    this.statuses = statuses;
    this.choice = choice;
    this.exports = exports;
    this.window = window;
    this.nanoClock = nanoClock;
  }

  /** A reload changes the window ({@code agent.ready-export-window}). */
  public void window(Duration w) {
    window = w;
  }

  @Override
  public List<HealthCheck> checks() {
    List<HealthCheck> out = new ArrayList<>();
    boolean anyRunning = false;
    for (CollectorStatus s : statuses.get()) {
      anyRunning |= s.running();
      out.add(probe(s));
    }
    if (!anyRunning) {
      out.add(HealthCheck.fail("probes", "no collector runs: see the start-up line for why"));
    }
    long now = nanoClock.getAsLong();
    for (LastExport e : exports.get()) {
      out.add(export(e, now));
    }
    return out;
  }

  private HealthCheck probe(CollectorStatus s) {
    String name = "probe:" + s.name();
    boolean chosen = choice.only().contains(s.name()) || choice.enable().contains(s.name());
    return switch (s.state()) {
      case RUNNING -> HealthCheck.pass(name, "running");
      case DISABLED -> HealthCheck.pass(name, "disabled");
      case FAILED, SKIPPED ->
          chosen
              ? HealthCheck.fail(name, "chosen but not running: " + s.detail())
              : HealthCheck.pass(name, "not chosen, cannot run here: " + s.detail());
    };
  }

  private HealthCheck export(LastExport e, long now) {
    String name = "exporter:" + e.name();
    long ok = e.successNanos();
    long failed = e.failureNanos();
    if (failed < 0) {
      return HealthCheck.pass(name, ok < 0 ? "no export yet" : "last export succeeded");
    }
    if (ok > failed) {
      return HealthCheck.pass(name, "last export succeeded");
    }
    String since = "last failed " + ago(now, failed);
    if (ok >= 0 && now - ok <= window.toNanos()) {
      return HealthCheck.pass(name, since + ", succeeded " + ago(now, ok));
    }
    return HealthCheck.fail(
        name,
        since
            + (ok < 0 ? ", never succeeded" : ", last succeeded " + ago(now, ok))
            + ": check that the backend is running and reachable");
  }

  private static String ago(long now, long then) {
    return Duration.ofNanos(now - then).toSeconds() + "s ago";
  }
}
