package dev.aiprof.agent.correlation;

/** Starts recording a process's scheduler timeline (the sched collector's follow). */
@FunctionalInterface
public interface ProcessFollower {
  void follow(int pid);

  /** The kernel has followed {@code pid} since {@code sinceNs} (monotonic) already. */
  default void followedSince(int pid, long sinceNs) {}

  ProcessFollower NONE = pid -> {};
}
