package dev.aiprof.bpf.profile;

/** The profile probe's own health counters; mirrors {@code enum profile_counter} in profile.h. */
public enum ProfileCounter {
  /** On-CPU samples sent. */
  SAMPLES,
  /** Events dropped because the ring buffer was full. */
  EVENTS_DROPPED,
  /** Stacks lost to a hash collision in the stack map (EEXIST). */
  STACK_COLLISIONS,
  /** Kernel stacks that could not be taken otherwise. */
  STACK_ERRORS,
  /** Off-CPU episodes sent. */
  OFFCPU,
  /** Voluntary switch-outs of followed threads whose stacks were taken. */
  SWITCH_OUTS,
  /** Per-task state that could not be had (task storage or the LRU hash full). */
  STATE_MISSING,
  /** Samples of the idle task or the agent, not sent. */
  IDLE;

  public int index() {
    return ordinal();
  }
}
