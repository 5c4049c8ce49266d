package dev.aiprof.host;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The host collector's metrics: OpenTelemetry's system semantic conventions ({@code system.*},
 * names, units and attributes as the conventions define them; their UpDownCounters are gauges
 * here), and {@code aiprof.host.*} for the collector's own.
 */
public final class HostMetrics {
  public static final AttributeKey<String> CPU_MODE = AttributeKey.stringKey("cpu.mode");
  public static final AttributeKey<Long> CPU_NUMBER = AttributeKey.longKey("cpu.logical_number");
  public static final AttributeKey<String> MEMORY_STATE =
      AttributeKey.stringKey("system.memory.state");
  public static final AttributeKey<String> SLAB_STATE =
      AttributeKey.stringKey("system.memory.linux.slab.state");
  public static final AttributeKey<String> PAGING_STATE =
      AttributeKey.stringKey("system.paging.state");
  public static final AttributeKey<String> PAGING_DIRECTION =
      AttributeKey.stringKey("system.paging.direction");
  public static final AttributeKey<String> FAULT_TYPE =
      AttributeKey.stringKey("system.paging.fault.type");
  public static final AttributeKey<String> DEVICE = AttributeKey.stringKey("system.device");
  public static final AttributeKey<String> DISK_DIRECTION =
      AttributeKey.stringKey("disk.io.direction");
  public static final AttributeKey<String> FS_MODE =
      AttributeKey.stringKey("system.filesystem.mode");
  public static final AttributeKey<String> FS_MOUNTPOINT =
      AttributeKey.stringKey("system.filesystem.mountpoint");
  public static final AttributeKey<String> FS_TYPE =
      AttributeKey.stringKey("system.filesystem.type");
  public static final AttributeKey<String> FS_STATE =
      AttributeKey.stringKey("system.filesystem.state");
  public static final AttributeKey<String> INTERFACE =
      AttributeKey.stringKey("network.interface.name");
  public static final AttributeKey<String> NET_DIRECTION =
      AttributeKey.stringKey("network.io.direction");
  public static final AttributeKey<String> KIND = AttributeKey.stringKey("aiprof.host.kind");

  public static final MetricId CPU_TIME =
      MetricId.counter("system.cpu.time", "Seconds each logical CPU spent in each mode", "s");
  public static final MetricId CPU_UTILIZATION =
      MetricId.gauge(
          "system.cpu.utilization",
          "Fraction of each logical CPU's time in each mode over the last host.interval",
          "1");
  public static final MetricId CPU_LOGICAL =
      MetricId.gauge("system.cpu.logical.count", "Logical processors (OSHI)", "{cpu}");
  public static final MetricId CPU_PHYSICAL =
      MetricId.gauge("system.cpu.physical.count", "Physical processor cores (OSHI)", "{cpu}");

  public static final MetricId MEMORY_USAGE =
      MetricId.gauge(
          "system.memory.usage",
          "Memory by state (used: MemTotal - MemAvailable; free; cached; buffers)",
          "By");
  public static final MetricId MEMORY_UTILIZATION =
      MetricId.gauge("system.memory.utilization", "Fraction of memory in each state", "1");
  public static final MetricId MEMORY_LIMIT =
      MetricId.gauge("system.memory.limit", "Total memory (MemTotal)", "By");
  public static final MetricId MEMORY_SHARED =
      MetricId.gauge("system.memory.shared", "Shared memory, mostly tmpfs (Shmem)", "By");
  public static final MetricId MEMORY_AVAILABLE =
      MetricId.gauge(
          "system.memory.linux.available",
          "Memory available for new work without swapping (MemAvailable)",
          "By");
  public static final MetricId SLAB =
      MetricId.gauge(
          "system.memory.linux.slab.usage", "Kernel slab memory, reclaimable or not", "By");

  public static final MetricId PAGING_USAGE =
      MetricId.gauge("system.paging.usage", "Swap space used and free", "By");
  public static final MetricId PAGING_UTILIZATION =
      MetricId.gauge("system.paging.utilization", "Fraction of swap space used and free", "1");
  public static final MetricId PAGING_FAULTS =
      MetricId.counter("system.paging.faults", "Page faults, major and minor", "{fault}");
  public static final MetricId PAGING_OPERATIONS =
      MetricId.counter(
          "system.paging.operations", "Pages swapped in and out (pswpin, pswpout)", "{operation}");

  public static final MetricId DISK_IO =
      MetricId.counter("system.disk.io", "Bytes read from and written to the disk", "By");
  public static final MetricId DISK_OPERATIONS =
      MetricId.counter(
          "system.disk.operations", "Read and write requests completed", "{operation}");
  public static final MetricId DISK_IO_TIME =
      MetricId.counter(
          "system.disk.io_time", "Time the disk had at least one request in flight", "s");
  public static final MetricId DISK_OPERATION_TIME =
      MetricId.counter(
          "system.disk.operation_time",
          "Time reads and writes took, summed over requests (parallel requests each count)",
          "s");
  public static final MetricId DISK_MERGED =
      MetricId.counter(
          "system.disk.merged",
          "Requests merged into others before they reached the disk",
          "{operation}");

  public static final MetricId FS_USAGE =
      MetricId.gauge(
          "system.filesystem.usage", "File system space by state (used, free, reserved)", "By");
  public static final MetricId FS_UTILIZATION =
      MetricId.gauge(
          "system.filesystem.utilization", "Fraction of the file system's space used", "1");
  public static final MetricId FS_LIMIT =
      MetricId.gauge("system.filesystem.limit", "File system size", "By");

  public static final MetricId NET_IO =
      MetricId.counter("system.network.io", "Bytes received and sent", "By");
  public static final MetricId NET_PACKETS =
      MetricId.counter("system.network.packet.count", "Packets received and sent", "{packet}");
  public static final MetricId NET_ERRORS =
      MetricId.counter("system.network.errors", "Receive and transmit errors", "{error}");
  public static final MetricId NET_DROPPED =
      MetricId.counter(
          "system.network.packet.dropped",
          "Packets dropped without an error (the drop column of /proc/net/dev)",
          "{packet}");

  public static final MetricId SERIES_DROPPED =
      MetricId.gauge(
          "aiprof.host.series.dropped",
          "Devices, interfaces or file systems not reported at the last reading (past"
              + " host.max-devices, host.max-interfaces, host.max-filesystems), by kind",
          "{series}");
  public static final MetricId READ_FAILURES =
      MetricId.counter(
          "aiprof.host.read.failures",
          "Host files that could not be read or parsed (their series are left out)",
          "{read}");
  public static final MetricId READ_DURATION =
      MetricId.gauge(
          "aiprof.host.read.duration", "How long the last reading of the host took", "s");
  public static final MetricId STATFS_TIMEOUTS =
      MetricId.counter(
          "aiprof.host.statfs.timeouts",
          "Mounts whose statvfs outlived its deadline (a network server gone): skipped, not"
              + " statted again until the stuck call returns",
          "{mount}");
  public static final MetricId STATFS_SKIPPED =
      MetricId.counter(
          "aiprof.host.statfs.skipped",
          "Mounts a reading left out because an earlier statvfs of them is still stuck",
          "{mount}");
  public static final MetricId READS =
      MetricId.counter("aiprof.host.reads", "Readings of the host", "{read}");

  private HostMetrics() {}
}
