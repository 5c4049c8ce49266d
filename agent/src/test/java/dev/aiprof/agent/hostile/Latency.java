package dev.aiprof.agent.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies of a series of calls, in milliseconds; percentiles by rank. Not thread-safe. */
final class Latency {
  /** A call that may throw. */
  interface Call {
    void run() throws Exception;
  }

  private final List<Double> millis = new ArrayList<>();

  /** Times {@code n} runs of {@code call} one after another. */
  static Latency of(int n, Call call) throws Exception {
    Latency l = new Latency();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      call.run();
      l.millis.add((System.nanoTime() - t0) / 1e6);
    }
    return l;
  }

  double percentile(double p) {
    List<Double> s = new ArrayList<>(millis);
    Collections.sort(s);
    return s.get((int) Math.min(s.size() - 1, Math.ceil(p / 100 * s.size()) - 1));
  }
}
