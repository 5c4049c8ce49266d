package dev.aiprof.bpf.fileio;

import java.util.Locale;

/** The file-I/O probe's own health counters; mirrors {@code enum fileio_counter} in fileio.h. */
public enum FileIoCounter {
  /** Slow-read events submitted to the ring buffer. */
  EVENTS,
  /** Slow-read events dropped because the ring was full (the read itself is counted). */
  EVENTS_DROPPED,
  /** Operations not counted because the per-process map was full. */
  STATS_FULL,
  /** Operations of followed threads in no phase because the slot map was full. */
  SLOTS_FULL,
  /** Operations not counted for lack of per-thread state. */
  STATE_MISSING,
  /** Reads and writes of other files (sockets, pipes, character devices), not counted. */
  OTHER_FILES,
  /** Major faults the perf event delivered. */
  MAJOR_FAULTS,
  /** Syscall exits whose entry was not seen (attached while the call ran). */
  UNMATCHED_EXIT;

  public int index() {
    return ordinal();
  }

  /** The value of the self-metric's fault attribute. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
