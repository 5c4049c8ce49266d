package dev.aiprof.api.profile;

/**
 * One stack of a thread, as a sampler or an off-CPU probe saw it: what the CPU sampler reports for
 * on-CPU time, and what the scheduler probe reports for a long stall. Instruction pointers are raw,
 * innermost first; symbolising them is the consumer's job (with the process's maps at that time, so
 * a consumer keeps what it needs).
 *
 * @param pid process (host pid namespace)
 * @param tid thread
 * @param timestampNs when (CLOCK_MONOTONIC)
 * @param kind on-CPU sample or off-CPU stall
 * @param weight what the sample stands for: on-CPU, the sampling period in ns; off-CPU, the stall's
 *     length in ns
 * @param userIps user-space frames, innermost first (empty when not captured)
 * @param kernelIps kernel frames, innermost first (empty when not captured)
 */
public record StackSample(
    int pid, int tid, long timestampNs, Kind kind, long weight, long[] userIps, long[] kernelIps) {
  /** What the thread was doing. */
  public enum Kind {
    ON_CPU,
    OFF_CPU
  }

  public StackSample {
    userIps = userIps.clone();
    kernelIps = kernelIps.clone();
  }

  @Override
  public long[] userIps() {
    return userIps.clone();
  }

  @Override
  public long[] kernelIps() {
    return kernelIps.clone();
  }
}
