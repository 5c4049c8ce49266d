package dev.aiprof.agent.correlation;

/** Starts recording a process's scheduler timeline (the sched collector's follow). */
@FunctionalInterface
public interface ProcessFollower {
  void follow(int pid);

  ProcessFollower NONE = pid -> {};
}
