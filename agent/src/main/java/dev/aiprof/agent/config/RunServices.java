package dev.aiprof.agent.config;

import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.exporters.metrics.MetricsBridge;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * What {@code aiprof run} adds around a started agent: the live settings, the SIGHUP reload of the
 * config file (when there is one), and the self-telemetry recording, both as metric sources of the
 * agent's bridge.
 *
 * <p>Lifecycle: {@link #start} after the agent started; {@link #close} after the agent closed (the
 * bridge's sources stay usable until then). Thread-safe.
 */
public final class RunServices implements AutoCloseable {
  private final LiveSettings live;
  private final HangupSignal hangup;
  private final SelfTelemetry self;

  private RunServices(LiveSettings live, HangupSignal hangup, SelfTelemetry self) {
    this.live = live;
    this.hangup = hangup;
    this.self = self;
  }

  /**
   * @param file the config file as read at start-up (empty without {@code --config})
   * @param flags the settings flags gave ({@code --set}...), which win over the file
   */
  public static RunServices start(
      MetricsBridge metrics,
      Readiness readiness,
      SettingsCatalog catalog,
      ConfigDocument file,
      Map<String, String> flags,
      Settings settings,
      PrintStream log) {
    LiveSettings live = new LiveSettings(settings, readiness);
    Runnable onHangup = () -> log.println("aiprof run: SIGHUP: no --config file to reload");
    if (file.file() != null) {
      Reloader r = new Reloader(file, catalog, flags, live, log);
      metrics.addSource(r);
      onHangup = r::reload;
    }
    HangupSignal hangup = HangupSignal.install(onHangup);
    SelfTelemetry self = null;
    if (settings.get(RunSettings.SELF_TELEMETRY)) {
      self = SelfTelemetry.start(settings.get(RunSettings.SELF_TELEMETRY_PERIOD));
      metrics.addSource(self);
    }
    return new RunServices(live, hangup, self);
  }

  /** The shutdown deadline now (a reload may have changed it). */
  public Duration shutdownTimeout() {
    return live.shutdownTimeout();
  }

  @Override
  public void close() {
    hangup.close();
    if (self != null) {
      self.close();
    }
  }
}
