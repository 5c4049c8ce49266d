package dev.aiprof.bpf.blockio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.U8;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.metrics.Log2Histogram;
import java.lang.foreign.MemorySegment;

/**
 * One series of the {@code stats} map, cumulative since load: a workload's requests on one disk in
 * one direction, from one origin. Pure decoding; immutable.
 *
 * @param cgroupId cgroup v2 id (for kernel threads: the charged blkcg's, else their own)
 * @param cgroupV1Id v1 memory-cgroup id of the issuing thread (0 for kernel threads)
 * @param dev the disk as the kernel's dev_t ({@code major << 20 | minor})
 * @param queued requests whose queue time was measured (their start was seen before the issue)
 * @param issued requests whose service time was measured (their issue was seen)
 * @param queue log2 histogram of queue times (start to issue), ns
 * @param service log2 histogram of service times (issue to completion), ns
 */
public record BlockIoSeries(
    long cgroupId,
    long cgroupV1Id,
    int dev,
    BlockIoDir dir,
    BlockIoOrigin origin,
    long requests,
    long bytes,
    long queued,
    long queueNs,
    long issued,
    long serviceNs,
    Log2Histogram queue,
    Log2Histogram service) {
  private static final long K_CG = BlockIoAbi.KEY.offset("cgroup_id", U64);
  private static final long K_CG1 = BlockIoAbi.KEY.offset("cgroup_v1_id", U64);
  private static final long K_DEV = BlockIoAbi.KEY.offset("dev", U32);
  private static final long K_DIR = BlockIoAbi.KEY.offset("dir", U8);
  private static final long K_ORIGIN = BlockIoAbi.KEY.offset("origin", U8);
  private static final long V_REQUESTS = BlockIoAbi.STATS.offset("requests", U64);
  private static final long V_BYTES = BlockIoAbi.STATS.offset("bytes", U64);
  private static final long V_QUEUED = BlockIoAbi.STATS.offset("queued", U64);
  private static final long V_QUEUE_NS = BlockIoAbi.STATS.offset("queue_ns", U64);
  private static final long V_ISSUED = BlockIoAbi.STATS.offset("issued", U64);
  private static final long V_SERVICE_NS = BlockIoAbi.STATS.offset("service_ns", U64);
  private static final long V_QUEUE_HIST =
      BlockIoAbi.STATS.offset("queue_hist", array(U64, BlockIoAbi.HIST_SLOTS));
  private static final long V_SERVICE_HIST =
      BlockIoAbi.STATS.offset("service_hist", array(U64, BlockIoAbi.HIST_SLOTS));

  /** Major number of the disk. */
  public int major() {
    return dev >>> 20;
  }

  /** Minor number of the disk. */
  public int minor() {
    return dev & 0xfffff;
  }

  /** Decodes one entry: a {@code struct blockio_key} and its {@code struct blockio_stats}. */
  public static BlockIoSeries decode(MemorySegment key, MemorySegment value) {
    return new BlockIoSeries(
        key.get(JAVA_LONG, K_CG),
        key.get(JAVA_LONG, K_CG1),
        key.get(JAVA_INT, K_DEV),
        BlockIoDir.ofCode(Byte.toUnsignedInt(key.get(JAVA_BYTE, K_DIR))),
        BlockIoOrigin.ofCode(Byte.toUnsignedInt(key.get(JAVA_BYTE, K_ORIGIN))),
        value.get(JAVA_LONG, V_REQUESTS),
        value.get(JAVA_LONG, V_BYTES),
        value.get(JAVA_LONG, V_QUEUED),
        value.get(JAVA_LONG, V_QUEUE_NS),
        value.get(JAVA_LONG, V_ISSUED),
        value.get(JAVA_LONG, V_SERVICE_NS),
        histogram(value, V_QUEUE_HIST),
        histogram(value, V_SERVICE_HIST));
  }

  private static Log2Histogram histogram(MemorySegment value, long offset) {
    long[] slots = new long[BlockIoAbi.HIST_SLOTS];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = value.get(JAVA_LONG, offset + 8L * i);
    }
    return new Log2Histogram(slots);
  }
}
