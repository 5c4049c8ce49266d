package dev.aiprof.io.block;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the blockio collector reports, per workload (cgroup identity), disk, direction. */
public final class BlockIoMetrics {
  /** The disk's kernel name (sysfs), as OpenTelemetry's system.disk.* metrics name it. */
  public static final AttributeKey<String> DEVICE = AttributeKey.stringKey("system.device");

  /** read, write, flush, discard or other (OpenTelemetry's values where it has them). */
  public static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("disk.io.direction");

  /** task, readahead, writeback or kernel: whose request it was. */
  public static final AttributeKey<String> ORIGIN = AttributeKey.stringKey("aiprof.io.origin");

  public static final MetricId REQUESTS =
      MetricId.counter(
          "aiprof.blockio.requests",
          "Block requests completed, by workload, disk, direction and origin (a kernel thread's"
              + " requests are charged to the cgroup the kernel charges, else left on it)",
          "{request}");
  public static final MetricId BYTES =
      MetricId.counter(
          "aiprof.blockio.bytes",
          "Bytes block requests moved, by workload, disk, direction and origin",
          "By");
  public static final MetricId QUEUE_DURATION =
      MetricId.histogram(
          "aiprof.blockio.queue.duration",
          "Time a block request waited from its start (block_io_start or insert) to its issue to"
              + " the driver");
  public static final MetricId SERVICE_DURATION =
      MetricId.histogram(
          "aiprof.blockio.service.duration",
          "Time a block request took from its issue to the driver to its completion");
  public static final MetricId INFLIGHT =
      MetricId.gauge(
          "aiprof.blockio.inflight",
          "Block requests the probe tracks in flight now (its bound is blockio.inflight-entries)",
          "{request}");
  public static final MetricId DROPPED =
      MetricId.counter(
          "aiprof.blockio.dropped",
          "Block request records the collector dropped for a bound, by reason (threads: a new"
              + " followed thread past the thread bound, requests: a thread's oldest request past"
              + " its bound, stale: in-flight requests the kernel never completed)",
          "{record}");

  public static final MetricId CGROUPS_REMOVED =
      MetricId.counter(
          "aiprof.blockio.cgroups.removed",
          "Removed cgroups whose series were deleted from the probe's map once a collection"
              + " exported their last values (they stop being exported)",
          "{cgroup}");

  private BlockIoMetrics() {}
}
