package dev.aiprof.bpf.profile;

/**
 * Load-time settings of the profile probe.
 *
 * @param frequencyHz CPU-clock samples a second on each CPU (at most the kernel's {@code
 *     perf_event_max_sample_rate})
 * @param maxStacks entries of each of the two stack maps (each entry {@value
 *     ProfileAbi#STACK_DEPTH} × 8 bytes, preallocated: the default 8,192 is 4 MiB a map, 8 MiB of
 *     kernel memory for both)
 * @param ringBytes ring buffer size (a power of two, at least a page); an event takes 56 bytes with
 *     its header
 * @param offCpu whether to take off-CPU stacks of followed threads
 * @param minOffCpuNs off-CPU episodes at least this long are sent
 * @param selfPid the agent's pid, never sampled
 */
public record ProfileConfig(
    long frequencyHz, int maxStacks, int ringBytes, boolean offCpu, long minOffCpuNs, int selfPid) {
  public ProfileConfig {
    if (frequencyHz <= 0) {
      throw new IllegalArgumentException("frequencyHz must be positive, was " + frequencyHz);
    }
    if (maxStacks < 1) {
      throw new IllegalArgumentException("maxStacks must be positive, was " + maxStacks);
    }
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
  }

  public static ProfileConfig defaults() {
    return new ProfileConfig(
        19, 8192, 1 << 20, true, 1_000_000, (int) ProcessHandle.current().pid());
  }

  /** The sampling period in nanoseconds: what one on-CPU sample stands for. */
  public long periodNs() {
    return 1_000_000_000L / frequencyHz;
  }
}
