package dev.aiprof.collectors.marker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns phase-name bytes into Strings, reusing the String of a name seen before: workloads repeat a
 * handful of names millions of times, so the steady state allocates no name. A fixed
 * open-addressing table of {@code capacity} slots (a power of two); a collision replaces the slot.
 * Not thread-safe: used by the one ring-buffer thread.
 */
final class NameCache {
  private final byte[][] keys;
  private final String[] values;
  private final int mask;

  NameCache(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two, was " + capacity);
    }
    keys = new byte[capacity][];
    values = new String[capacity];
    mask = capacity - 1;
  }

  /** The String of {@code bytes[0, length)} (UTF-8). */
  String intern(byte[] bytes, int length) {
    int slot = hash(bytes, length) & mask;
    byte[] k = keys[slot];
    if (k != null && Arrays.equals(k, 0, k.length, bytes, 0, length)) {
      return values[slot];
    }
    String s = new String(bytes, 0, length, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOf(bytes, length);
    values[slot] = s;
    return s;
  }

  private static int hash(byte[] b, int length) {
    int h = 0x811c9dc5;
    for (int i = 0; i < length; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}
