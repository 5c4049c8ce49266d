package dev.aiprof.bpf.phase;

import static dev.aiprof.bpf.phase.PhaseAbi.EVENT;
import static dev.aiprof.bpf.phase.PhaseAbi.NAME_LEN;
import static dev.aiprof.bpf.phase.PhaseAbi.offset;

import dev.aiprof.bpf.RawMemory;

/**
 * A reusable view of one {@code struct phase_event} in ring-buffer memory: {@link #at} points it at
 * a record, the getters read the fields in place. Nothing allocates except {@link #name()}; {@link
 * #copyName} fills a caller's buffer instead. Valid only inside the ring-buffer callback that
 * supplied the address. Not thread-safe.
 */
public final class PhaseEventView {
  public static final int SIZE = (int) EVENT.byteSize();
  private static final long TS = offset(EVENT, "ts");
  private static final long PID = offset(EVENT, "pid");
  private static final long TID = offset(EVENT, "tid");
  private static final long KIND = offset(EVENT, "kind");
  private static final long ORIGIN = offset(EVENT, "origin");
  private static final long NAME = offset(EVENT, "name");

  private long base;

  public PhaseEventView at(long address) {
    this.base = address;
    return this;
  }

  /** Kernel monotonic time of the call (bpf_ktime_get_ns: CLOCK_MONOTONIC). */
  public long timestampNs() {
    return RawMemory.u64(base + TS);
  }

  /** Process id (host pid namespace). */
  public int pid() {
    return RawMemory.u32(base + PID);
  }

  /** Thread id (host pid namespace). */
  public int tid() {
    return RawMemory.u32(base + TID);
  }

  /** The kind, or null for a code this version does not know. */
  public PhaseKind kind() {
    return PhaseKind.ofCode(RawMemory.u8(base + KIND));
  }

  /** The origin, or null for a code this version does not know. */
  public MarkerOrigin origin() {
    return MarkerOrigin.ofCode(RawMemory.u8(base + ORIGIN));
  }

  /** The name (UTF-8 decoded), empty for an end. Allocates. */
  public String name() {
    return RawMemory.string(base + NAME, NAME_LEN);
  }

  /**
   * Copies the name's bytes (without the NUL) into {@code dst}, which must hold {@link
   * PhaseAbi#NAME_LEN} bytes; returns how many.
   */
  public int copyName(byte[] dst) {
    int n = 0;
    while (n < NAME_LEN - 1) {
      int b = RawMemory.u8(base + NAME + n);
      if (b == 0) {
        break;
      }
      dst[n++] = (byte) b;
    }
    return n;
  }
}
