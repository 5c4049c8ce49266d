package dev.aiprof.bpf.cuda;

/** The CUDA probe's own health counters; mirrors {@code enum cuda_counter} in cuda.h. */
public enum CudaCounter {
  /** Wait events submitted to the ring buffer. */
  EVENTS,
  /** Wait events dropped because the ring was full (their time stays in the slot statistics). */
  EVENTS_DROPPED,
  /** Calls not counted because the statistics map was full. */
  STATS_FULL,
  /** Allocations whose bytes are not tracked because the allocation map was full. */
  ALLOCS_FULL,
  /** Frees of pointers the probe did not see allocated (before it attached). */
  FREE_UNKNOWN,
  /** Calls not counted for lack of per-thread state. */
  STATE_MISSING,
  /** Driver calls made inside a runtime call: counted once, as the runtime call. */
  SUPPRESSED,
  /** Waits not in a histogram because the histogram map was full. */
  HIST_FULL,
  /** Returns with no entry seen (the probe attached while the call ran). */
  UNMATCHED_RETURN;

  public int index() {
    return ordinal();
  }

  /** The value of the self-metric's fault attribute. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
