package dev.aiprof.gpu.nvml;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Each thread's native buffer for NVML's out-parameters, so a sampling round allocates no native
 * memory (a JNA {@code Memory} per call is a malloc and a cleaner registration each). Two regions:
 * {@link #small} for scalars and small structs, {@link #large} for arrays (processes, samples,
 * field values); a request that does not fit gets a fresh allocation. A region is valid until the
 * thread's next request of the same region: callers decode before the next call. Confined to its
 * thread.
 */
final class Scratch {
  static final int SMALL = 4096;
  static final int LARGE = 60 * 1024;
  private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

  private final Memory memory = new Memory(SMALL + LARGE);

  static Scratch get() {
    return LOCAL.get();
  }

  /** A zeroed region of {@code size} bytes for scalars and small structs. */
  Pointer small(int size) {
    return region(0, SMALL, size);
  }

  /** A zeroed region of {@code size} bytes for arrays. */
  Pointer large(long size) {
    return region(SMALL, LARGE, size);
  }

  private Pointer region(long offset, long capacity, long size) {
    if (size > capacity) {
      Memory m = new Memory(size);
      m.clear();
      return m;
    }
    memory.setMemory(offset, size, (byte) 0);
    return memory.share(offset, size);
  }
}
