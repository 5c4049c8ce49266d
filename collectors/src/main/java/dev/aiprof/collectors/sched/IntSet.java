package dev.aiprof.collectors.sched;

import java.util.Arrays;

/**
 * A small set of ints read on every ring-buffer event and changed rarely: reads are a binary search
 * in an immutable sorted array (no boxing, no lock), writes copy it. Thread-safe.
 */
final class IntSet {
  private volatile int[] sorted = new int[0];

  boolean contains(int v) {
    return Arrays.binarySearch(sorted, v) >= 0;
  }

  synchronized boolean add(int v) {
    int[] s = sorted;
    int at = Arrays.binarySearch(s, v);
    if (at >= 0) {
      return false;
    }
    int ins = -at - 1;
    int[] n = new int[s.length + 1];
    System.arraycopy(s, 0, n, 0, ins);
    n[ins] = v;
    System.arraycopy(s, ins, n, ins + 1, s.length - ins);
    sorted = n;
    return true;
  }

  synchronized boolean remove(int v) {
    int[] s = sorted;
    int at = Arrays.binarySearch(s, v);
    if (at < 0) {
      return false;
    }
    int[] n = new int[s.length - 1];
    System.arraycopy(s, 0, n, 0, at);
    System.arraycopy(s, at + 1, n, at, s.length - at - 1);
    sorted = n;
    return true;
  }
}
