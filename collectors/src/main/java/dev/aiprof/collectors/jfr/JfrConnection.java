package dev.aiprof.collectors.jfr;

import java.lang.System.Logger.Level;
import jdk.jfr.consumer.EventStream;

/**
 * One JVM's open JFR event stream and the recording behind it, made by one of two mechanisms:
 *
 * <ul>
 *   <li>{@link RepositoryConnection} (primary): {@code jcmd PID JFR.start} with only our events,
 *       then {@link EventStream#openRepository} on the target's disk repository, reached through
 *       {@code /proc/PID/root}. Needs no network and no listening socket in the target, works
 *       across network namespaces (containers), and leaves nothing behind once the recording stops.
 *   <li>{@link JmxConnection} (fallback): the attach API's {@code startLocalManagementAgent()} and
 *       a JMX {@code RemoteRecordingStream}. Needs the target's loopback (same network namespace)
 *       and leaves its local management agent running; used when jcmd or the repository fail.
 * </ul>
 *
 * <p>The caller registers handlers on {@link #stream()} and starts it. {@link #close} is
 * idempotent; not thread-safe (the collector's attach thread opens and closes).
 */
interface JfrConnection extends AutoCloseable {
  /** "repository" or "jmx". */
  String mechanism();

  /** The stream, not yet started. */
  EventStream stream();

  /** Closes the stream and, if {@code stopRecording} (the target still runs), its recording. */
  void close(boolean stopRecording);

  @Override
  default void close() {
    close(true);
  }

  /** Opens a connection by the configured mechanism, falling back from repository to JMX. */
  static JfrConnection open(JvmProcess jvm, JfrSettings settings, Jcmd jcmd) throws JfrException {
    return switch (settings.mechanism()) {
      case REPOSITORY -> RepositoryConnection.open(jvm, settings, jcmd);
      case JMX -> JmxConnection.open(jvm, settings);
      case AUTO -> {
        try {
          yield RepositoryConnection.open(jvm, settings, jcmd);
        } catch (JfrException primary) {
          System.getLogger(JfrConnection.class.getName())
              .log(
                  Level.INFO,
                  "pid " + jvm.pid() + ": " + primary.getMessage() + "; trying JMX instead");
          try {
            yield JmxConnection.open(jvm, settings);
          } catch (JfrException fallback) {
            throw new JfrException(
                primary.getMessage() + "; JMX fallback: " + fallback.getMessage());
          }
        }
      }
    };
  }
}
