package dev.aiprof.bpf.fileio;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.S64;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.util.List;

/**
 * Java mirrors of the structs and enums in fileio.h: every field with its C type, every enumerator
 * with its value. FileIoLayoutTest checks them against the compiled object's BTF both ways.
 */
public final class FileIoAbi {
  public static final int HIST_SLOTS = 40;
  public static final int COUNTERS = 8;
  public static final int IOV_MAX = 16;
  public static final int OPS = 10;
  public static final int CAUSES = 4;
  public static final int FILE_REGULAR = 1;
  public static final int FILE_BLOCK = 2;

  public static final AbiStruct KEY =
      AbiStruct.of(
          "fileio_key",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("proc_start_ns", U64),
          field("pid", U32),
          field("pad", U32));

  public static final AbiStruct STATS =
      AbiStruct.of(
          "fileio_stats",
          field("read_hist", array(U64, HIST_SLOTS)),
          field("reads", U64),
          field("read_bytes", U64),
          field("read_ns", U64),
          field("writes", U64),
          field("write_bytes", U64),
          field("write_ns", U64),
          field("pages", array(U64, CAUSES)),
          field("major_faults", U64),
          field("slow_reads", U64));

  public static final AbiStruct SLOT_KEY =
      AbiStruct.of("fileio_slot_key", field("slot", U64), field("tid", U32), field("pad", U32));

  public static final AbiStruct SLOT =
      AbiStruct.of(
          "fileio_slot",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("reads", U64),
          field("read_bytes", U64),
          field("read_ns", U64),
          field("writes", U64),
          field("write_bytes", U64),
          field("misses", U64),
          field("readahead", U64),
          field("major_faults", U64),
          field("first_ts", U64),
          field("last_ts", U64),
          field("proc_start_ns", U64),
          field("pid", U32),
          field("pad", U32));

  public static final AbiStruct EVENT =
      AbiStruct.of(
          "fileio_event",
          field("start_ts", U64),
          field("end_ts", U64),
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("ino", U64),
          field("pos", U64),
          field("ret", S64),
          field("proc_start_ns", U64),
          field("dev", U32),
          field("pid", U32),
          field("tid", U32),
          field("op", U8),
          field("file", U8),
          field("followed", U8),
          field("pad", U8));

  /** Every struct of fileio.h. */
  public static final List<AbiStruct> STRUCTS = List.of(KEY, STATS, SLOT_KEY, SLOT, EVENT);

  /** Every enum of fileio.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("fileio_limits")
              .constant("FILEIO_HIST_SLOTS", HIST_SLOTS)
              .constant("FILEIO_COUNTERS", COUNTERS)
              .constant("FILEIO_IOV_MAX", IOV_MAX)
              .build(),
          AbiEnum.named("fileio_op")
              .constants("FILEIO_OP_", FileIoOp.values(), FileIoOp::code)
              .constant("FILEIO_OPS", OPS)
              .build(),
          AbiEnum.named("fileio_cause")
              .constants("FILEIO_CAUSE_", FileIoCause.values(), FileIoCause::code)
              .constant("FILEIO_CAUSES", CAUSES)
              .build(),
          AbiEnum.named("fileio_file")
              .constant("FILEIO_FILE_REGULAR", FILE_REGULAR)
              .constant("FILEIO_FILE_BLOCK", FILE_BLOCK)
              .build(),
          AbiEnum.named("fileio_counter")
              .constants("FILEIO_CNT_", FileIoCounter.values(), FileIoCounter::index)
              .build());

  private FileIoAbi() {}
}
