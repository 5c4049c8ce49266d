package dev.aiprof.bpf;

/**
 * Turns on the kernel's per-program run-time accounting ({@code BPF_ENABLE_STATS}) for as long as
 * this is open. Accounting costs a little on every program run, so the agent only holds it while
 * measuring. Several holders may overlap; the kernel counts them.
 */
public final class RunTimeStats implements AutoCloseable {
  private static final int BPF_STATS_RUN_TIME = 0;
  private final int fd;
  private boolean closed;

  private RunTimeStats(int fd) {
    this.fd = fd;
  }

  public static RunTimeStats enable() {
    Native.ensureLibBpf();
    try {
      int fd = (int) LibBpf.ENABLE_STATS.invokeExact(BPF_STATS_RUN_TIME);
      if (fd < 0) {
        throw new UnsupportedFeatureException(
            Feature.BPF_STATS, "bpf_enable_stats failed: " + Errno.describe(-fd));
      }
      return new RunTimeStats(fd);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Fds.close(fd);
    }
  }
}
