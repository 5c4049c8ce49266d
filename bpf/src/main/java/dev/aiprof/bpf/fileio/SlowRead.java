package dev.aiprof.bpf.fileio;

import static dev.aiprof.bpf.CType.S64;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.RawMemory;

/**
 * One read of at least the probe's threshold: {@code struct fileio_event}, stamped by the kernel
 * (CLOCK_MONOTONIC) at the syscall's entry and exit, with the file's device and inode.
 *
 * @param dev the kernel's {@code dev_t}: {@code major << 20 | minor}
 * @param result bytes read, or {@code -errno}
 * @param procStartNs the process's start, as in {@link FileIoStats}
 * @param op the syscall, or null for a code this version does not know
 * @param blockDevice the file is a block device (else a regular file)
 * @param followed the thread's process was followed
 */
public record SlowRead(
    long startNs,
    long endNs,
    long cgroupId,
    long cgroupV1Id,
    long ino,
    long pos,
    long result,
    long procStartNs,
    int dev,
    int pid,
    int tid,
    FileIoOp op,
    boolean blockDevice,
    boolean followed)
    implements ThreadActivity.Event<ProcessKey> {
  public static final int SIZE = (int) FileIoAbi.EVENT.layout().byteSize();
  private static final long START = FileIoAbi.EVENT.offset("start_ts", U64);
  private static final long END = FileIoAbi.EVENT.offset("end_ts", U64);
  private static final long CG = FileIoAbi.EVENT.offset("cgroup_id", U64);
  private static final long CG1 = FileIoAbi.EVENT.offset("cgroup_v1_id", U64);
  private static final long INO = FileIoAbi.EVENT.offset("ino", U64);
  private static final long POS = FileIoAbi.EVENT.offset("pos", U64);
  private static final long RET = FileIoAbi.EVENT.offset("ret", S64);
  private static final long PROC_START = FileIoAbi.EVENT.offset("proc_start_ns", U64);
  private static final long DEV = FileIoAbi.EVENT.offset("dev", U32);
  private static final long PID = FileIoAbi.EVENT.offset("pid", U32);
  private static final long TID = FileIoAbi.EVENT.offset("tid", U32);
  private static final long OP = FileIoAbi.EVENT.offset("op", U8);
  private static final long FILE = FileIoAbi.EVENT.offset("file", U8);
  private static final long FOLLOWED = FileIoAbi.EVENT.offset("followed", U8);

  /** Decodes the record at {@code address} (valid only inside the ring-buffer callback). */
  public static SlowRead at(long address) {
    return new SlowRead(
        RawMemory.u64(address + START),
        RawMemory.u64(address + END),
        RawMemory.u64(address + CG),
        RawMemory.u64(address + CG1),
        RawMemory.u64(address + INO),
        RawMemory.u64(address + POS),
        RawMemory.u64(address + RET),
        RawMemory.u64(address + PROC_START),
        RawMemory.u32(address + DEV),
        RawMemory.u32(address + PID),
        RawMemory.u32(address + TID),
        FileIoOp.ofCode(RawMemory.u8(address + OP)),
        RawMemory.u8(address + FILE) == FileIoAbi.FILE_BLOCK,
        RawMemory.u8(address + FOLLOWED) != 0);
  }

  /** The thread's process: its pid and start. */
  @Override
  public ProcessKey process() {
    return ProcessKey.ofBootNs(pid, procStartNs);
  }

  public long durationNs() {
    return endNs - startNs;
  }

  public int major() {
    return dev >>> 20;
  }

  public int minor() {
    return dev & 0xfffff;
  }

  /** {@code major:minor}. */
  public String device() {
    return major() + ":" + minor();
  }
}
