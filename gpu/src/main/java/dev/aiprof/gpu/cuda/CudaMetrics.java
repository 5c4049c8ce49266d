package dev.aiprof.gpu.cuda;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the cuda collector reports, per workload (cgroup identity). */
public final class CudaMetrics {
  public static final AttributeKey<String> CALL = AttributeKey.stringKey("aiprof.cuda.call");
  public static final AttributeKey<String> API = AttributeKey.stringKey("aiprof.cuda.api");
  public static final AttributeKey<String> DIRECTION =
      AttributeKey.stringKey("aiprof.cuda.direction");

  public static final MetricId CALLS =
      MetricId.counter(
          "aiprof.gpu.cuda.calls",
          "CUDA driver and runtime API calls, by call and API (a driver call made inside a runtime"
              + " call is counted once, as the runtime call)",
          "{call}");
  public static final MetricId ERRORS =
      MetricId.counter(
          "aiprof.gpu.cuda.errors",
          "CUDA calls that returned an error (calls with a return probe: syncs, allocations,"
              + " runtime calls), by call",
          "{call}");
  public static final MetricId BYTES =
      MetricId.counter(
          "aiprof.gpu.cuda.bytes",
          "Bytes CUDA copies were asked to move, by call and direction (htod, dtoh, dtod, default)",
          "By");
  public static final MetricId SYNC_DURATION =
      MetricId.histogram(
          "aiprof.gpu.cuda.sync.duration",
          "Host time a thread waited in one CUDA synchronisation call, by call");
  public static final MetricId ALLOCATED =
      MetricId.gauge(
          "aiprof.gpu.cuda.memory.allocated",
          "Device memory allocated through cuMemAlloc/cudaMalloc and not yet freed, of"
              + " allocations the agent saw (made after it attached)",
          "By");
  public static final MetricId LIBRARIES =
      MetricId.gauge(
          "aiprof.gpu.cuda.libraries",
          "CUDA library files the agent is attached to, by API (driver, runtime)",
          "{file}");
  public static final MetricId PROCESSES =
      MetricId.gauge("aiprof.gpu.cuda.processes", "Processes that map a CUDA library", "{process}");
  public static final MetricId DROPPED =
      MetricId.counter(
          "aiprof.gpu.cuda.dropped",
          "CUDA records the collector dropped for a bound, by reason (series, activity)",
          "{record}");

  private CudaMetrics() {}
}
