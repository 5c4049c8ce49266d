package dev.aiprof.bpf.fileio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.ThreadActivity;
import java.lang.foreign.MemorySegment;

/**
 * One followed thread's file I/O in one time slot, as read from the {@code slots} map: an entry of
 * {@code struct fileio_slot_key} → {@code struct fileio_slot}. Reads and writes count at their
 * exit, pages and faults when they happen; all of them lie in {@code [firstNs, lastNs]}.
 *
 * @param procStartNs the process's start, as in {@link FileIoStats}
 * @param misses pages added to the page cache by the thread's reads and outside reads and writes
 * @param readahead of which brought in beyond what a read asked for
 */
public record FileIoSlot(
    long slot,
    int pid,
    long procStartNs,
    int tid,
    long cgroupId,
    long cgroupV1Id,
    long reads,
    long readBytes,
    long readNs,
    long writes,
    long writeBytes,
    long misses,
    long readahead,
    long majorFaults,
    long firstNs,
    long lastNs)
    implements ThreadActivity.Slot<ProcessKey> {
  private static final long K_SLOT = FileIoAbi.SLOT_KEY.offset("slot", U64);
  private static final long K_TID = FileIoAbi.SLOT_KEY.offset("tid", U32);
  private static final long V_CG = FileIoAbi.SLOT.offset("cgroup_id", U64);
  private static final long V_CG1 = FileIoAbi.SLOT.offset("cgroup_v1_id", U64);
  private static final long V_READS = FileIoAbi.SLOT.offset("reads", U64);
  private static final long V_READ_BYTES = FileIoAbi.SLOT.offset("read_bytes", U64);
  private static final long V_READ_NS = FileIoAbi.SLOT.offset("read_ns", U64);
  private static final long V_WRITES = FileIoAbi.SLOT.offset("writes", U64);
  private static final long V_WRITE_BYTES = FileIoAbi.SLOT.offset("write_bytes", U64);
  private static final long V_MISSES = FileIoAbi.SLOT.offset("misses", U64);
  private static final long V_READAHEAD = FileIoAbi.SLOT.offset("readahead", U64);
  private static final long V_MAJOR = FileIoAbi.SLOT.offset("major_faults", U64);
  private static final long V_FIRST = FileIoAbi.SLOT.offset("first_ts", U64);
  private static final long V_LAST = FileIoAbi.SLOT.offset("last_ts", U64);
  private static final long V_PID = FileIoAbi.SLOT.offset("pid", U32);
  private static final long V_START = FileIoAbi.SLOT.offset("proc_start_ns", U64);

  /** Decodes a key/value pair of the slots map. */
  public static FileIoSlot decode(MemorySegment key, MemorySegment value) {
    return new FileIoSlot(
        key.get(JAVA_LONG, K_SLOT),
        value.get(JAVA_INT, V_PID),
        value.get(JAVA_LONG, V_START),
        key.get(JAVA_INT, K_TID),
        value.get(JAVA_LONG, V_CG),
        value.get(JAVA_LONG, V_CG1),
        value.get(JAVA_LONG, V_READS),
        value.get(JAVA_LONG, V_READ_BYTES),
        value.get(JAVA_LONG, V_READ_NS),
        value.get(JAVA_LONG, V_WRITES),
        value.get(JAVA_LONG, V_WRITE_BYTES),
        value.get(JAVA_LONG, V_MISSES),
        value.get(JAVA_LONG, V_READAHEAD),
        value.get(JAVA_LONG, V_MAJOR),
        value.get(JAVA_LONG, V_FIRST),
        value.get(JAVA_LONG, V_LAST));
  }

  /** The thread's process: its pid and start. */
  @Override
  public ProcessKey process() {
    return ProcessKey.ofBootNs(pid, procStartNs);
  }
}
