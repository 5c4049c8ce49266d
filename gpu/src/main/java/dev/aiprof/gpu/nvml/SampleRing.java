package dev.aiprof.gpu.nvml;

import java.util.Arrays;

/**
 * One device's recent samples for the phase signal: sample time, GPU utilisation and the pids that
 * ran on it, in primitive ring arrays of a fixed capacity ({@code nvml.ring}); the oldest go first.
 * Samples are in time order, so a question about an interval looks only at the samples around it
 * (binary search). Thread-safe: the sampler adds, the correlation engine reads.
 */
final class SampleRing {
  /** The utilisation-weighted busy time of [start, end) and what it was computed from. */
  record Busy(long busyNs, long coveredNs, int samples, double meanUtilization) {}

  private static final int[] NONE = new int[0];

  private final long[] times;
  private final double[] util;
  private final int[][] pids;
  private int head;
  private int size;
  private long dropped;

  SampleRing(int capacity) {
    times = new long[capacity];
    util = new double[capacity];
    pids = new int[capacity][];
  }

  /** Adds a sample taken at {@code monoNs}; {@code pids} sorted is not required. */
  synchronized void add(long monoNs, double utilization, int[] running) {
    int i = (head + size) % times.length;
    if (size == times.length) {
      head = (head + 1) % times.length;
      dropped++;
    } else {
      size++;
    }
    times[i] = monoNs;
    util[i] = utilization;
    int[] p = running.length == 0 ? NONE : running.clone();
    Arrays.sort(p);
    pids[i] = p;
  }

  /** The time of the latest sample, or Long.MIN_VALUE before the first. */
  synchronized long latest() {
    return size == 0 ? Long.MIN_VALUE : times[(head + size - 1) % times.length];
  }

  /** The time of the oldest sample kept, or Long.MAX_VALUE when none. */
  synchronized long oldest() {
    return size == 0 ? Long.MAX_VALUE : times[head];
  }

  synchronized long dropped() {
    return dropped;
  }

  /** Whether {@code pid} was listed by a sample whose period overlaps [start, end]. */
  synchronized boolean ran(int pid, long startNs, long endNs) {
    for (int k = firstAtOrAfter(startNs); k < size; k++) {
      // a sample's period starts at the sample before it; the oldest one kept is a point
      if (times[at(Math.max(0, k - 1))] > endNs) {
        break;
      }
      if (Arrays.binarySearch(pids[at(k)], pid) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The logical index of the first sample at or after {@code t} (size when none): O(log n). */
  private int firstAtOrAfter(long t) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times[at(mid)] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int at(int k) {
    return (head + k) % times.length;
  }

  /**
   * Busy time in [start, end): each sample's utilisation covers the period since the sample before
   * it; the part of that period inside the interval counts at that utilisation. Samples without a
   * utilisation (NaN) cover nothing.
   */
  synchronized Busy busy(long startNs, long endNs) {
    double busy = 0;
    long covered = 0;
    int n = 0;
    for (int k = Math.max(1, firstAtOrAfter(startNs)); k < size; k++) {
      int i = at(k);
      int before = at(k - 1);
      if (times[before] >= endNs) {
        break;
      }
      long lo = Math.max(times[before], startNs);
      long hi = Math.min(times[i], endNs);
      if (hi <= lo || Double.isNaN(util[i])) {
        continue;
      }
      busy += util[i] * (hi - lo);
      covered += hi - lo;
      n++;
    }
    return new Busy((long) busy, covered, n, covered == 0 ? Double.NaN : busy / covered);
  }
}
