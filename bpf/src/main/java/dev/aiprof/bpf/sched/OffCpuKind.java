package dev.aiprof.bpf.sched;

/**
 * What a thread was doing off-CPU before it became runnable again; mirrors {@code enum
 * sched_off_kind} in sched.h (checked by SchedLayoutTest).
 */
public enum OffCpuKind {
  /** Switched out while runnable: the whole gap is runqueue wait. */
  PREEMPTED("preempted"),
  /** Interruptible sleep (S) or idle wait (I): locks, condition variables, timers, network. */
  SLEEP("sleep"),
  /** Uninterruptible sleep (D): usually disk or page-fault I/O. */
  BLOCKED("blocked"),
  /** Stopped, traced, parked or dead. */
  OTHER("other");

  private static final OffCpuKind[] BY_CODE = values();
  private final String label;

  OffCpuKind(String label) {
    this.label = label;
  }

  /** The value in sched.h. */
  public int code() {
    return ordinal();
  }

  /** Lower-case name used in attributes and reports. */
  public String label() {
    return label;
  }

  public static OffCpuKind ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : OTHER;
  }
}
