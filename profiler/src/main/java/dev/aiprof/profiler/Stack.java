package dev.aiprof.profiler;

/**
 * One distinct stack of a process as the kernel kept it: user and kernel instruction pointers,
 * innermost first. Interned by the collector (one object per stack id pair and stack-map
 * generation), so samples share it. {@code lost}: a stack the kernel did not keep (a collision in
 * the stack map) or that was freed before it was read. Immutable; the arrays are not copied and
 * never written.
 */
record Stack(int pid, long[] user, long[] kernel, boolean lost) {
  static final long[] NONE = new long[0];

  /** Frames in all. */
  int depth() {
    return user.length + kernel.length;
  }
}
