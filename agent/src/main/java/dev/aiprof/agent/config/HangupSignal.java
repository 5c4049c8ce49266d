package dev.aiprof.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGHUP runs an action (the config reload) instead of the JVM's default (which would shut down).
 * Lifecycle: {@link #install}, {@link #close} restores the previous handler. Thread-safe.
 */
final class HangupSignal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HangupSignal.class.getName());
  private final List<Runnable> restore = new ArrayList<>();

  private HangupSignal() {}

  @SuppressWarnings("removal")
  static HangupSignal install(Runnable action) {
    HangupSignal h = new HangupSignal();
    try {
      sun.misc.Signal sig = new sun.misc.Signal("HUP");
      sun.misc.SignalHandler previous = sun.misc.Signal.handle(sig, x -> action.run());
      h.restore.add(() -> sun.misc.Signal.handle(sig, previous));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "cannot handle SIGHUP (no config reload): " + e);
    }
    return h;
  }

  @Override
  public void close() {
    restore.forEach(Runnable::run);
    restore.clear();
  }
}
