package dev.aiprof.bpf.phase;

import static dev.aiprof.bpf.CType.CHAR;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;
import static dev.aiprof.bpf.phase.PhaseAbi.EVENT;
import static dev.aiprof.bpf.phase.PhaseAbi.EVENT_STRUCT;
import static dev.aiprof.bpf.phase.PhaseAbi.NAME_LEN;

import dev.aiprof.bpf.RawMemory;

/**
 * A reusable view of one {@code struct phase_event} in ring-buffer memory: {@link #at} points it at
 * a record, the getters read the fields in place. Nothing allocates except {@link #name()}; {@link
 * #copyName} fills a caller's buffer instead. Valid only inside the ring-buffer callback that
 * supplied the address. Not thread-safe.
 */
public final class PhaseEventView {
  public static final int SIZE = (int) EVENT.byteSize();
  private static final long TS = EVENT_STRUCT.offset("ts", U64);
  private static final long PID = EVENT_STRUCT.offset("pid", U32);
  private static final long TID = EVENT_STRUCT.offset("tid", U32);
  private static final long KIND = EVENT_STRUCT.offset("kind", U8);
  private static final long ORIGIN = EVENT_STRUCT.offset("origin", U8);
  private static final long NAME = EVENT_STRUCT.offset("name", array(CHAR, NAME_LEN));

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
