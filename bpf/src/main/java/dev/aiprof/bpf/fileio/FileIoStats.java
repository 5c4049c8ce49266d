package dev.aiprof.bpf.fileio;

import static dev.aiprof.bpf.CType.U32;
import static dev.aiprof.bpf.CType.U64;
import static dev.aiprof.bpf.CType.array;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Log2Histogram;
import java.lang.foreign.MemorySegment;

/**
 * One process's cumulative file I/O in one workload, as read from the {@code stats} map: an entry
 * of {@code struct fileio_key} → {@code struct fileio_stats}. Reads and writes of regular files and
 * block devices only; pages added to the page cache by cause ({@link FileIoCause#code()} indexes
 * {@code pages}).
 *
 * @param procStartNs the process's start (its leader's start_boottime, CLOCK_BOOTTIME ns): with the
 *     pid, the {@link ProcessKey}
 * @param readLatency log2 histogram of read latency in ns
 */
public record FileIoStats(
    long cgroupId,
    long cgroupV1Id,
    int pid,
    long procStartNs,
    Log2Histogram readLatency,
    long reads,
    long readBytes,
    long readNs,
    long writes,
    long writeBytes,
    long writeNs,
    long[] pages,
    long majorFaults,
    long slowReads) {
  private static final long K_CG = FileIoAbi.KEY.offset("cgroup_id", U64);
  private static final long K_CG1 = FileIoAbi.KEY.offset("cgroup_v1_id", U64);
  private static final long K_PID = FileIoAbi.KEY.offset("pid", U32);
  private static final long K_START = FileIoAbi.KEY.offset("proc_start_ns", U64);
  private static final long V_HIST =
      FileIoAbi.STATS.offset("read_hist", array(U64, FileIoAbi.HIST_SLOTS));
  private static final long V_READS = FileIoAbi.STATS.offset("reads", U64);
  private static final long V_READ_BYTES = FileIoAbi.STATS.offset("read_bytes", U64);
  private static final long V_READ_NS = FileIoAbi.STATS.offset("read_ns", U64);
  private static final long V_WRITES = FileIoAbi.STATS.offset("writes", U64);
  private static final long V_WRITE_BYTES = FileIoAbi.STATS.offset("write_bytes", U64);
  private static final long V_WRITE_NS = FileIoAbi.STATS.offset("write_ns", U64);
  private static final long V_PAGES = FileIoAbi.STATS.offset("pages", array(U64, FileIoAbi.CAUSES));
  private static final long V_MAJOR = FileIoAbi.STATS.offset("major_faults", U64);
  private static final long V_SLOW = FileIoAbi.STATS.offset("slow_reads", U64);

  /** Decodes a key/value pair of the stats map. */
  public static FileIoStats decode(MemorySegment key, MemorySegment value) {
    long[] hist = new long[FileIoAbi.HIST_SLOTS];
    for (int i = 0; i < hist.length; i++) {
      hist[i] = value.get(JAVA_LONG, V_HIST + 8L * i);
    }
    long[] pages = new long[FileIoAbi.CAUSES];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = value.get(JAVA_LONG, V_PAGES + 8L * i);
    }
    return new FileIoStats(
        key.get(JAVA_LONG, K_CG),
        key.get(JAVA_LONG, K_CG1),
        key.get(JAVA_INT, K_PID),
        key.get(JAVA_LONG, K_START),
        new Log2Histogram(hist),
        value.get(JAVA_LONG, V_READS),
        value.get(JAVA_LONG, V_READ_BYTES),
        value.get(JAVA_LONG, V_READ_NS),
        value.get(JAVA_LONG, V_WRITES),
        value.get(JAVA_LONG, V_WRITE_BYTES),
        value.get(JAVA_LONG, V_WRITE_NS),
        pages,
        value.get(JAVA_LONG, V_MAJOR),
        value.get(JAVA_LONG, V_SLOW));
  }

  /** The process: its pid and start ({@code procStartNs}, the leader's start_boottime). */
  public ProcessKey process() {
    return ProcessKey.ofBootNs(pid, procStartNs);
  }

  /** Pages added for {@code cause}. */
  public long pages(FileIoCause cause) {
    return pages[cause.code()];
  }

  /**
   * Page-cache misses: pages added by reads (demand and readahead) and outside reads and writes.
   */
  public long misses() {
    long n = 0;
    for (FileIoCause c : FileIoCause.values()) {
      n += c.miss() ? pages[c.code()] : 0;
    }
    return n;
  }
}
