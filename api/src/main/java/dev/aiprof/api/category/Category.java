package dev.aiprof.api.category;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a phase's time went, or what it moved: the one registry of time and amount categories.
 * Signals fill a {@link dev.aiprof.api.phase.PhaseDescription} by category; the profile table, the
 * phase metrics, the spans and the dashboards read the same ids. A category's {@link #id()} is the
 * value of the {@code aiprof.phase.category} attribute and never changes once released.
 *
 * <p>{@link Kind#THREAD_TIME} categories partition a phase's thread time (each thread's wall time
 * inside the phase, summed over threads): on a CPU, waiting for one, or off-CPU by state. The other
 * kinds overlap it: device time runs beside the threads, amounts are counts.
 */
public enum Category {
  ON_CPU("on_cpu", Kind.THREAD_TIME, "on-CPU"),
  RUNQUEUE("runqueue", Kind.THREAD_TIME, "runqueue"),
  BLOCKED("blocked", Kind.THREAD_TIME, "blocked (D)"),
  SLEEP("sleep", Kind.THREAD_TIME, "sleep"),
  OTHER("other", Kind.THREAD_TIME, "other off-CPU"),
  /** On a CPU as the guest sees it, but with the vCPU taken away by the hypervisor. */
  STEAL("steal", Kind.THREAD_TIME, "steal"),

  /** Time a GPU the phase's process used was busy (NVML utilization × wall time). */
  GPU_BUSY("gpu_busy", Kind.DEVICE_TIME, "GPU busy"),
  /** Host thread time spent waiting in CUDA synchronisation calls. */
  CUDA_SYNC("cuda_sync", Kind.DEVICE_TIME, "CUDA sync wait"),
  /** Time the phase's block I/O requests spent queued and in service. */
  BLOCK_IO_WAIT("block_io_wait", Kind.DEVICE_TIME, "block I/O wait"),

  BYTES_READ("bytes_read", Kind.BYTES, "read"),
  BYTES_WRITTEN("bytes_written", Kind.BYTES, "written"),
  NET_BYTES_SENT("net_sent", Kind.BYTES, "TCP sent"),
  NET_BYTES_RECEIVED("net_received", Kind.BYTES, "TCP received"),
  /** Bytes the phase's threads asked CUDA to copy (host to device, back, device to device). */
  CUDA_COPY_BYTES("cuda_copy_bytes", Kind.BYTES, "CUDA copied"),

  PAGE_CACHE_MISSES("page_cache_misses", Kind.EVENTS, "page-cache misses"),
  MAJOR_FAULTS("major_faults", Kind.EVENTS, "major faults"),
  TCP_RETRANSMITS("tcp_retransmits", Kind.EVENTS, "TCP retransmits"),
  /** CUDA kernel and graph launches by the phase's threads. */
  CUDA_LAUNCHES("cuda_launches", Kind.EVENTS, "CUDA launches");

  /** What a category measures, and in which unit a description holds it. */
  public enum Kind {
    /** Part of the threads' own time, in nanoseconds; the THREAD_TIME categories add up. */
    THREAD_TIME("ns"),
    /** Time beside the threads (a device, an I/O queue), in nanoseconds. */
    DEVICE_TIME("ns"),
    /** Bytes moved. */
    BYTES("By"),
    /** Occurrences. */
    EVENTS("{event}");

    private final String unit;

    Kind(String unit) {
      this.unit = unit;
    }

    /** The UCUM unit of a described value. */
    public String unit() {
      return unit;
    }

    public boolean isTime() {
      return this == THREAD_TIME || this == DEVICE_TIME;
    }
  }

  private final String id;
  private final Kind kind;
  private final String label;

  Category(String id, Kind kind, String label) {
    this.id = id;
    this.kind = kind;
    this.label = label;
  }

  /** The stable id: {@code aiprof.phase.category} in metrics, the key in descriptions. */
  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** A short human label, for tables. */
  public String label() {
    return label;
  }

  /** The categories of one kind, in declaration order. */
  public static List<Category> of(Kind kind) {
    return Arrays.stream(values()).filter(c -> c.kind == kind).toList();
  }

  public static Optional<Category> byId(String id) {
    return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
  }
}
