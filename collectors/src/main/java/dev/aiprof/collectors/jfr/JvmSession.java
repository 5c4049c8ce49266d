package dev.aiprof.collectors.jfr;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import java.util.function.Consumer;

/**
 * One streamed JVM: its connection, its stream (started on the JDK's own stream thread) and the
 * {@link PhaseMapper} on it. Started and closed by the collector's attach thread.
 */
final class JvmSession implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(JvmSession.class.getName());

  private final JvmProcess jvm;
  private final JfrConnection connection;
  private volatile JvmStatus status;

  private JvmSession(JvmProcess jvm, JfrConnection connection) {
    this.jvm = jvm;
    this.connection = connection;
    this.status = new JvmStatus(jvm.pid(), JvmStatus.State.STREAMING, connection.mechanism(), "");
  }

  /**
   * What every session needs: settings, the jcmd runner, host paths, the clock, where phases go
   * (the bounded queue), the counters, and the follow service asked to follow each JVM before its
   * first phase.
   */
  record Setup(
      JfrSettings settings,
      Jcmd jcmd,
      HostPaths paths,
      ClockSync clock,
      Consumer<Phase> out,
      JfrCounters counters,
      Follows follows) {}

  /**
   * Opens the JVM's stream, asks the follow service to follow the JVM, then starts the stream;
   * throws with the reason when it cannot.
   */
  static JvmSession start(JvmProcess jvm, Setup s) throws JfrException {
    JfrConnection c = JfrConnection.open(jvm, s.settings(), s.jcmd());
    try {
      ThreadIds tids = new ThreadIds(s.paths(), jvm, System::nanoTime);
      new PhaseMapper(jvm.pid(), s.clock(), tids, s.settings().minDuration(), s.out(), s.counters())
          .register(c.stream());
      c.stream()
          .onError(
              t ->
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "JFR stream of pid " + jvm.pid() + " failed: " + JfrException.reason(t)));
      s.follows().follow(jvm.pid());
      c.stream().startAsync();
      return new JvmSession(jvm, c);
    } catch (RuntimeException e) {
      c.close();
      throw new JfrException("starting the JFR stream of pid " + jvm.pid(), e);
    }
  }

  JvmProcess jvm() {
    return jvm;
  }

  JvmStatus status() {
    return status;
  }

  /** Closes the stream after the JVM exited (nothing to stop in it). */
  void exited() {
    connection.close(false);
    status = new JvmStatus(jvm.pid(), JvmStatus.State.EXITED, connection.mechanism(), "");
  }

  /** Closes the stream and stops the recording in the JVM. */
  @Override
  public void close() {
    if (status.state() == JvmStatus.State.STREAMING) {
      connection.close(true);
      status = new JvmStatus(jvm.pid(), JvmStatus.State.CLOSED, connection.mechanism(), "");
    }
  }
}
