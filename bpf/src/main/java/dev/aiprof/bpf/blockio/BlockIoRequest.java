package dev.aiprof.bpf.blockio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;

import dev.aiprof.bpf.RawMemory;

/**
 * One completed block request sent as an event ({@code struct blockio_event}): a request of a
 * followed process's thread, or one slower than the probe's threshold. Times are CLOCK_MONOTONIC,
 * stamped by the kernel where the request started, was issued and completed. Pure decoding.
 *
 * @param startNs when it started (block_io_start or insert); equal to {@code issueNs} when only its
 *     issue was seen
 * @param issueNs when the driver got it; equal to {@code endNs} when its issue was not seen
 * @param flags {@code enum blockio_event_flag} bits
 */
public record BlockIoRequest(
    long startNs,
    long issueNs,
    long endNs,
    long cgroupId,
    long cgroupV1Id,
    long bytes,
    int pid,
    int tid,
    int dev,
    BlockIoDir dir,
    BlockIoOrigin origin,
    int flags) {
  public static final int FOLLOWED = 1;
  public static final int SLOW = 2;
  public static final int QUEUED = 4;
  public static final int ISSUED = 8;
  public static final int ERROR = 16;

  public static final int SIZE = (int) BlockIoAbi.EVENT.layout().byteSize();
  private static final long START = BlockIoAbi.EVENT.offset("start_ts", U64);
  private static final long ISSUE = BlockIoAbi.EVENT.offset("issue_ts", U64);
  private static final long END = BlockIoAbi.EVENT.offset("end_ts", U64);
  private static final long CG = BlockIoAbi.EVENT.offset("cgroup_id", U64);
  private static final long CG1 = BlockIoAbi.EVENT.offset("cgroup_v1_id", U64);
  private static final long BYTES = BlockIoAbi.EVENT.offset("bytes", U64);
  private static final long PID = BlockIoAbi.EVENT.offset("pid", U32);
  private static final long TID = BlockIoAbi.EVENT.offset("tid", U32);
  private static final long DEV = BlockIoAbi.EVENT.offset("dev", U32);
  private static final long DIR = BlockIoAbi.EVENT.offset("dir", U8);
  private static final long ORIGIN = BlockIoAbi.EVENT.offset("origin", U8);
  private static final long FLAGS = BlockIoAbi.EVENT.offset("flags", U8);

  /** Decodes the record at {@code address} (valid only inside the ring-buffer callback). */
  public static BlockIoRequest at(long address) {
    return new BlockIoRequest(
        RawMemory.u64(address + START),
        RawMemory.u64(address + ISSUE),
        RawMemory.u64(address + END),
        RawMemory.u64(address + CG),
        RawMemory.u64(address + CG1),
        RawMemory.u64(address + BYTES),
        RawMemory.u32(address + PID),
        RawMemory.u32(address + TID),
        RawMemory.u32(address + DEV),
        BlockIoDir.ofCode(RawMemory.u8(address + DIR)),
        BlockIoOrigin.ofCode(RawMemory.u8(address + ORIGIN)),
        RawMemory.u8(address + FLAGS));
  }

  /** From start to completion: the time a thread waiting for it waited. */
  public long durationNs() {
    return endNs - startNs;
  }

  public long queueNs() {
    return issueNs - startNs;
  }

  public long serviceNs() {
    return endNs - issueNs;
  }

  public boolean followed() {
    return (flags & FOLLOWED) != 0;
  }

  public boolean slow() {
    return (flags & SLOW) != 0;
  }

  /** The part of this request's time from start to completion inside {@code [from, to)}. */
  public long overlapNs(long from, long to) {
    long a = Math.max(from, startNs);
    long b = Math.min(to, endNs);
    return Math.max(0, b - a);
  }
}
