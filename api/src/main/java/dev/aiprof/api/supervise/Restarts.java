package dev.aiprof.api.supervise;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's count of loop restarts by thread name, and each thread's last failure (one line),
 * for the supervisor's metrics and health checks. Bounded: at most {@value #MAX_THREADS} names (the
 * agent's long-running threads are a fixed set of about a dozen); restarts of further names are
 * counted under {@value #OTHER}. Thread-safe.
 */
public final class Restarts {
  /** Names kept apart before {@value #OTHER}. */
  public static final int MAX_THREADS = 64;

  /** Where restarts of threads beyond {@value #MAX_THREADS} names are counted. */
  public static final String OTHER = "_other";

  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
  private static final Map<String, String> LAST = new ConcurrentHashMap<>();

  private Restarts() {}

  /** Counts one restart of {@code thread}'s loop after {@code cause}. */
  static void record(String thread, Throwable cause) {
    String key = COUNTS.containsKey(thread) || COUNTS.size() < MAX_THREADS ? thread : OTHER;
    COUNTS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    LAST.put(key, describe(cause));
  }

  /** Restarts so far by thread name (sorted). */
  public static Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    COUNTS.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Restarts of {@code thread} so far. */
  public static long of(String thread) {
    AtomicLong n = COUNTS.get(thread);
    return n == null ? 0 : n.get();
  }

  /** The last failure that restarted {@code thread}, one line; empty when none. */
  public static String lastFailure(String thread) {
    return LAST.getOrDefault(thread, "");
  }

  /** A throwable in one line: its class and message, never a stack trace. */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    String line = t.getClass().getName() + (m == null ? "" : ": " + m);
    line = line.replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
