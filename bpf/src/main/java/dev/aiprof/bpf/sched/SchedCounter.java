package dev.aiprof.bpf.sched;

/** The probe's own health counters; mirrors {@code enum sched_counter} in sched.h. */
public enum SchedCounter {
  /** Events submitted to the ring buffer. */
  EVENTS,
  /** Events dropped because the ring buffer was full. */
  EVENTS_DROPPED,
  /** Cgroups not accounted because cgroup_stats was full. */
  CGROUPS_FULL,
  /** Scheduler events skipped for lack of per-task state. */
  STATE_MISSING,
  /**
   * Threads that got a CPU back after sleeping with no wakeup seen: the episode is kept, all of it
   * off-CPU (its runqueue part is unknown).
   */
  WAKEUP_MISSING,
  /**
   * Threads seen leaving a CPU they got without a traced switch (some hosts trace nothing while
   * their own agent's threads run): the switch-in is rebuilt from the kernel's slice accounting.
   */
  SWITCH_IN_MISSING,
  /**
   * Threads seen getting a CPU they had left without a traced switch: the episode between is lost
   * (its time counts as on-CPU).
   */
  SWITCH_OUT_MISSING;

  public int index() {
    return ordinal();
  }
}
