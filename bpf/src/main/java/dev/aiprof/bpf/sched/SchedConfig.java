package dev.aiprof.bpf.sched;

/**
 * Load-time settings of the scheduler probe. Build with {@link #builder()}; every value has a
 * default sized for a node running 100k threads.
 *
 * @param minEventNs off-CPU or runqueue gaps at least this long are sent as events
 * @param traceFollowed send every off-CPU episode of followed processes (for per-phase timelines)
 * @param selfPid the agent's own pid, never measured
 * @param taskEntries per-task state entries (raw_tp variant; the tp_btf variant needs none)
 * @param cgroupEntries workload identities tracked at once
 * @param threadEntries threads of followed processes tracked at once
 * @param ringBytes ring buffer size (a power of two, at least a page)
 */
public record SchedConfig(
    long minEventNs,
    boolean traceFollowed,
    int selfPid,
    int taskEntries,
    int cgroupEntries,
    int threadEntries,
    int ringBytes) {

  public SchedConfig {
    if (minEventNs < 0) {
      throw new IllegalArgumentException("minEventNs must be >= 0, was " + minEventNs);
    }
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
    if (taskEntries <= 0 || cgroupEntries <= 0 || threadEntries <= 0) {
      throw new IllegalArgumentException("map sizes must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the defaults. */
  public static final class Builder {
    private long minEventNs = 1_000_000;
    private boolean traceFollowed;
    private int selfPid = (int) ProcessHandle.current().pid();
    private int taskEntries = 102_400;
    private int cgroupEntries = 4096;
    private int threadEntries = 16_384;
    private int ringBytes = 4 << 20;

    public Builder minEventNs(long v) {
      minEventNs = v;
      return this;
    }

    public Builder traceFollowed(boolean v) {
      traceFollowed = v;
      return this;
    }

    public Builder selfPid(int v) {
      selfPid = v;
      return this;
    }

    public Builder taskEntries(int v) {
      taskEntries = v;
      return this;
    }

    public Builder cgroupEntries(int v) {
      cgroupEntries = v;
      return this;
    }

    public Builder threadEntries(int v) {
      threadEntries = v;
      return this;
    }

    public Builder ringBytes(int v) {
      ringBytes = v;
      return this;
    }

    public SchedConfig build() {
      return new SchedConfig(
          minEventNs, traceFollowed, selfPid, taskEntries, cgroupEntries, threadEntries, ringBytes);
    }
  }
}
