package dev.aiprof.api.log;

/**
 * One cause's throttle state: when it last logged and how many lines it suppressed since, plus
 * totals. Thread-safe (synchronized: taken once per log call, never on a hot path that succeeds).
 */
final class Cause {
  private long lastNanos;
  private boolean everLogged;
  private long sinceLast;
  private long logged;
  private long dropped;

  /**
   * Whether a line may be written now: the number suppressed since the last line (0 or more) when
   * it may, -1 when it is suppressed.
   */
  synchronized long tryLog(long now, long intervalNanos) {
    if (everLogged && now - lastNanos < intervalNanos) {
      sinceLast++;
      dropped++;
      return -1;
    }
    everLogged = true;
    lastNanos = now;
    long s = sinceLast;
    sinceLast = 0;
    logged++;
    return s;
  }

  synchronized long logged() {
    return logged;
  }

  synchronized long dropped() {
    return dropped;
  }
}
