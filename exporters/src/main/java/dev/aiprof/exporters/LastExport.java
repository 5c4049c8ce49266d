package dev.aiprof.exporters;

/**
 * When one exporter last succeeded and last failed ({@link System#nanoTime()}, {@code -1} for
 * never), for readiness ({@code /readyz}: is the backend reachable). Thread-safe.
 */
public final class LastExport {
  private final String name;
  private volatile long success = -1;
  private volatile long failure = -1;

  public LastExport(String name) {
    this.name = name;
  }

  /** Short and stable: {@code traces}, {@code metrics/otlp}, {@code metrics/file}. */
  public String name() {
    return name;
  }

  public void record(boolean ok) {
    if (ok) {
      success = System.nanoTime();
    } else {
      failure = System.nanoTime();
    }
  }

  public long successNanos() {
    return success;
  }

  public long failureNanos() {
    return failure;
  }
}
