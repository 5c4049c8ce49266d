package dev.aiprof.host;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the kernel's cumulative counters of named things (disks, interfaces) from going backwards.
 * Per name and field it keeps the previous raw value and an offset added to every later one. A
 * value below the previous one is either a wrap of a 32-bit counter (the field is one the kernel
 * prints as {@code %u}, the previous value fits 32 bits and the distance forward modulo 2^32 is
 * under 2^31: the offset grows by 2^32) or a reset (the device or driver started over: the offset
 * grows by the previous raw value, so the exported counter carries on from where it was).
 *
 * <p>Bounded: one entry per name of the last reading ({@link #retain} forgets the rest), and the
 * names are those the caps let through. Not thread-safe: the reading thread's.
 */
final class Unwrapped {
  private static final long WRAP = 1L << 32;
  private final boolean[] wraps32;
  private final Map<String, long[]> state = new HashMap<>();

  /**
   * @param wraps32 per field, whether the kernel prints it as a 32-bit unsigned value
   */
  Unwrapped(boolean... wraps32) {
    this.wraps32 = wraps32.clone();
  }

  /** The fields of {@code name} made monotonic; {@code raw} as read, one per field. */
  long[] apply(String name, long... raw) {
    int n = wraps32.length;
    long[] s = state.get(name);
    if (s == null) {
      s = new long[2 * n];
      System.arraycopy(raw, 0, s, 0, n);
      state.put(name, s);
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long prev = s[i];
      long cur = raw[i];
      if (cur < prev) {
        boolean wrapped = wraps32[i] && prev < WRAP && cur + WRAP - prev < (WRAP >>> 1);
        s[n + i] += wrapped ? WRAP : prev;
      }
      s[i] = cur;
      out[i] = cur + s[n + i];
    }
    return out;
  }

  /** Forgets the names not in {@code names} (a device that went away starts afresh). */
  void retain(Set<String> names) {
    state.keySet().retainAll(names);
  }
}
