package dev.aiprof.profiler;

/**
 * One distinct stack of a process as the kernel kept it: user and kernel instruction pointers,
 * innermost first. Interned by the collector (one object per stack id pair and stack-map
 * generation), so samples share it; equal by content, so one stack read in two generations counts
 * as one. {@code lost}: a stack the kernel did not keep (a collision in the stack map) or that was
 * freed before it was read. Immutable; the arrays are not copied and never written.
 */
record Stack(int pid, long[] user, long[] kernel, boolean lost) {
  static final long[] NONE = new long[0];

  @Override
  public boolean equals(Object o) {
    return o instanceof Stack s
        && pid == s.pid
        && lost == s.lost
        && java.util.Arrays.equals(user, s.user)
        && java.util.Arrays.equals(kernel, s.kernel);
  }

  @Override
  public int hashCode() {
    return (31 * pid + java.util.Arrays.hashCode(user)) * 31
        + java.util.Arrays.hashCode(kernel)
        + (lost ? 1 : 0);
  }

  @Override
  public String toString() {
    return "Stack[pid="
        + pid
        + ", "
        + user.length
        + " user, "
        + kernel.length
        + " kernel"
        + (lost ? ", lost]" : "]");
  }

  /** Frames in all. */
  int depth() {
    return user.length + kernel.length;
  }
}
