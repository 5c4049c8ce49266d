package dev.aiprof.collectors.jfr;

/**
 * Where the collector stands with one JVM.
 *
 * @param pid host pid
 * @param state see {@link State}
 * @param mechanism "repository" or "jmx" once streaming, else empty
 * @param reason why it failed, else empty
 */
public record JvmStatus(int pid, State state, String mechanism, String reason) {
  /** The life of one JVM in the collector. */
  public enum State {
    /** Its events are being streamed. */
    STREAMING,
    /** It could not be streamed; {@link JvmStatus#reason} says why. Not retried. */
    FAILED,
    /** It exited while streamed; its stream is closed. */
    EXITED,
    /** The collector closed its stream and stopped its recording. */
    CLOSED
  }

  static JvmStatus failed(int pid, String reason) {
    return new JvmStatus(pid, State.FAILED, "", reason);
  }
}
