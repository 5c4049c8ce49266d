package dev.aiprof.bpf.blockio;

import java.util.Locale;

/** The block I/O probe's own health counters; mirrors {@code enum blockio_counter}. */
public enum BlockIoCounter {
  /** Request events submitted to the ring buffer. */
  EVENTS,
  /** Request events dropped because the ring was full (the requests are still counted). */
  EVENTS_DROPPED,
  /** Requests not tracked because the in-flight map was full: they go uncounted. */
  INFLIGHT_FULL,
  /** Requests not counted because the statistics map could not take a new series. */
  STATS_FULL,
  /** Completions of requests never seen starting (in flight when the probe attached). */
  UNMATCHED,
  /** Requests issued again before completing (requeued): timed from their last issue. */
  REISSUED,
  /** Requests counted. */
  COMPLETED,
  /** Of those, requests of kernel threads. */
  KERNEL,
  /** Of those, requests charged to a cgroup through their bio's blkcg. */
  KERNEL_CHARGED,
  /**
   * Requests finished at {@code block_io_done} because the probe missed their last {@code
   * block_rq_complete} (a program skipped where it would nest in itself on a CPU); their bytes are
   * those seen.
   */
  FINISHED_AT_DONE;

  public int index() {
    return ordinal();
  }

  /** The value of the self-metric's fault attribute. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
