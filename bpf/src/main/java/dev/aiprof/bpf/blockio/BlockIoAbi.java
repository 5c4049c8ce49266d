package dev.aiprof.bpf.blockio;

import static dev.aiprof.bpf.AbiStruct.field;
import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;

import dev.aiprof.bpf.AbiEnum;
import dev.aiprof.bpf.AbiStruct;
import java.util.List;

/**
 * Java mirrors of the structs and enums in blockio.h: every field with its C type, every enumerator
 * with its value. BlockIoLayoutTest checks them against the compiled object's BTF both ways, so a
 * change to the header that is not made here fails the build.
 */
public final class BlockIoAbi {
  public static final int HIST_SLOTS = 40;
  public static final int COUNTERS = 10;
  public static final int DIRS = 5;
  public static final int ORIGINS = 4;

  public static final AbiStruct KEY =
      AbiStruct.of(
          "blockio_key",
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("dev", U32),
          field("dir", U8),
          field("origin", U8),
          field("pad", array(U8, 2)));

  public static final AbiStruct STATS =
      AbiStruct.of(
          "blockio_stats",
          field("requests", U64),
          field("bytes", U64),
          field("queued", U64),
          field("queue_ns", U64),
          field("issued", U64),
          field("service_ns", U64),
          field("queue_hist", array(U64, HIST_SLOTS)),
          field("service_hist", array(U64, HIST_SLOTS)));

  public static final AbiStruct REQ =
      AbiStruct.of(
          "blockio_req",
          field("start_ts", U64),
          field("issue_ts", U64),
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("bytes", U64),
          field("pid", U32),
          field("tid", U32),
          field("dev", U32),
          field("dir", U8),
          field("origin", U8),
          field("followed", U8),
          field("error", U8),
          field("charged", U8),
          field("pad", array(U8, 3)));

  public static final AbiStruct EVENT =
      AbiStruct.of(
          "blockio_event",
          field("start_ts", U64),
          field("issue_ts", U64),
          field("end_ts", U64),
          field("cgroup_id", U64),
          field("cgroup_v1_id", U64),
          field("bytes", U64),
          field("pid", U32),
          field("tid", U32),
          field("dev", U32),
          field("dir", U8),
          field("origin", U8),
          field("flags", U8),
          field("pad", U8));

  /** Every struct of blockio.h. */
  public static final List<AbiStruct> STRUCTS = List.of(KEY, STATS, REQ, EVENT);

  /** Every enum of blockio.h, with every enumerator. */
  public static final List<AbiEnum> ENUMS =
      List.of(
          AbiEnum.named("blockio_limits")
              .constant("BLOCKIO_HIST_SLOTS", HIST_SLOTS)
              .constant("BLOCKIO_COUNTERS", COUNTERS)
              .build(),
          AbiEnum.named("blockio_dir")
              .constants("BLOCKIO_DIR_", BlockIoDir.values(), BlockIoDir::code)
              .constant("BLOCKIO_DIRS", DIRS)
              .build(),
          AbiEnum.named("blockio_origin")
              .constants("BLOCKIO_ORIGIN_", BlockIoOrigin.values(), BlockIoOrigin::code)
              .constant("BLOCKIO_ORIGINS", ORIGINS)
              .build(),
          AbiEnum.named("blockio_event_flag")
              .constant("BLOCKIO_EVENT_FOLLOWED", BlockIoRequest.FOLLOWED)
              .constant("BLOCKIO_EVENT_SLOW", BlockIoRequest.SLOW)
              .constant("BLOCKIO_EVENT_QUEUED", BlockIoRequest.QUEUED)
              .constant("BLOCKIO_EVENT_ISSUED", BlockIoRequest.ISSUED)
              .constant("BLOCKIO_EVENT_ERROR", BlockIoRequest.ERROR)
              .build(),
          AbiEnum.named("blockio_counter")
              .constants("BLOCKIO_CNT_", BlockIoCounter.values(), BlockIoCounter::index)
              .build());

  private BlockIoAbi() {}
}
