package dev.aiprof.io.file;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the fileio collector reports, per workload (cgroup identity). */
public final class FileIoMetrics {
  /** {@code read} or {@code write}. */
  public static final AttributeKey<String> DIRECTION =
      AttributeKey.stringKey("aiprof.io.direction");

  /** Why a page entered the page cache: {@code read}, {@code readahead}, {@code other}. */
  public static final AttributeKey<String> CAUSE = AttributeKey.stringKey("aiprof.fileio.cause");

  public static final MetricId READ_DURATION =
      MetricId.histogram(
          "aiprof.fileio.read.duration",
          "Time one read, pread64, readv, preadv or preadv2 of a regular file or block device took,"
              + " syscall entry to exit");
  public static final MetricId BYTES =
      MetricId.counter(
          "aiprof.fileio.bytes",
          "Bytes read from and written to regular files and block devices by syscalls, by"
              + " direction (mapped-file access shows as major faults instead)",
          "By");
  public static final MetricId OPERATIONS =
      MetricId.counter(
          "aiprof.fileio.operations",
          "Successful read and write syscalls on regular files and block devices, by direction",
          "{operation}");
  public static final MetricId PAGE_CACHE_MISSES =
      MetricId.counter(
          "aiprof.fileio.page_cache.misses",
          "Pages added to the page cache by the workload's own tasks, by cause: read (a read asked"
              + " for it), readahead (beyond what a read asked for), other (mapped-file faults,"
              + " fadvise, exec)",
          "{page}");
  public static final MetricId PAGE_CACHE_WRITTEN =
      MetricId.counter(
          "aiprof.fileio.page_cache.written",
          "Pages added to the page cache by writes (new pages, not misses)",
          "{page}");
  public static final MetricId MAJOR_FAULTS =
      MetricId.counter(
          "aiprof.fileio.major_faults",
          "Major page faults (a mapped file or swapped page read from storage), as the kernel"
              + " counts them in majflt",
          "{fault}");
  public static final MetricId SLOW_READS =
      MetricId.counter(
          "aiprof.fileio.slow_reads", "Reads of at least fileio.slow-read-threshold", "{read}");
  public static final MetricId DROPPED =
      MetricId.counter(
          "aiprof.fileio.dropped",
          "File-I/O records the collector dropped for a bound, by reason (series: a workload past"
              + " the series and overflow bounds; activity)",
          "{record}");
  public static final MetricId CGROUPS_REMOVED =
      MetricId.counter(
          "aiprof.fileio.cgroups.removed",
          "Removed cgroups whose file-I/O totals the collector forgot once a collection exported"
              + " their last values (they stop being exported)",
          "{cgroup}");

  private FileIoMetrics() {}
}
