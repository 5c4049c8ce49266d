package dev.aiprof.bpf.blockio;

import java.util.Locale;

/**
 * Who a block request is for; mirrors {@code enum blockio_origin} in blockio.h. A user thread's
 * requests are its own; a kernel thread's are charged to the cgroup the kernel charges (the bio's
 * blkcg, on the cgroup v2 hierarchy) or, when there is none, left on the kernel thread and named by
 * this origin: never charged to whatever task happened to be running.
 */
public enum BlockIoOrigin {
  /** A user thread, in its own context. */
  TASK,
  /** A user thread's readahead. */
  READAHEAD,
  /** A kernel thread writing: dirty-page writeback, journal commits, stacked-device workers. */
  WRITEBACK,
  /** A kernel thread's other requests (reads, flushes, discards). */
  KERNEL;

  public int code() {
    return ordinal();
  }

  /** The value of the {@code aiprof.io.origin} attribute. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The origin of a code, or {@link #KERNEL} for one this version does not know. */
  public static BlockIoOrigin ofCode(int code) {
    BlockIoOrigin[] all = values();
    return code >= 0 && code < all.length ? all[code] : KERNEL;
  }
}
