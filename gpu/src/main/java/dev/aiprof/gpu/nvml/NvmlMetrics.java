package dev.aiprof.gpu.nvml;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The NVML collector's metrics: OpenTelemetry's hardware conventions ({@code hw.*}) where they name
 * the value, {@code aiprof.gpu.*} for the rest. Every device series carries {@link
 * GpuDevice#attributes()}.
 */
public final class NvmlMetrics {
  public static final AttributeKey<String> TASK = AttributeKey.stringKey("hw.gpu.task");
  public static final AttributeKey<String> DIRECTION =
      AttributeKey.stringKey("network.io.direction");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> STATE = AttributeKey.stringKey("hw.state");
  public static final AttributeKey<String> SENSOR = AttributeKey.stringKey("aiprof.gpu.sensor");
  public static final AttributeKey<String> CLOCK = AttributeKey.stringKey("aiprof.gpu.clock");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.gpu.reason");
  public static final AttributeKey<String> ENGINE = AttributeKey.stringKey("aiprof.gpu.engine");
  public static final AttributeKey<Long> XID_CODE = AttributeKey.longKey("aiprof.gpu.xid");
  public static final AttributeKey<String> READING = AttributeKey.stringKey("aiprof.gpu.reading");

  public static final MetricId UTILIZATION =
      MetricId.gauge(
          "hw.gpu.utilization",
          "Fraction of the last sample period a kernel ran on the GPU (NVML utilization.gpu)",
          "1");
  public static final MetricId MEMORY_USAGE =
      MetricId.gauge("hw.gpu.memory.usage", "GPU memory in use", "By");
  public static final MetricId MEMORY_LIMIT =
      MetricId.gauge("hw.gpu.memory.limit", "GPU memory size", "By");
  public static final MetricId MEMORY_UTILIZATION =
      MetricId.gauge("hw.gpu.memory.utilization", "Fraction of GPU memory in use", "1");
  public static final MetricId MEMORY_CONTROLLER =
      MetricId.gauge(
          "aiprof.gpu.memory_controller.utilization",
          "Fraction of the last sample period device memory was read or written",
          "1");
  public static final MetricId IO =
      MetricId.counter("hw.gpu.io", "Bytes the GPU sent and received over NVLink, all links", "By");
  public static final MetricId PCIE =
      MetricId.gauge(
          "aiprof.gpu.pcie.throughput",
          "PCIe throughput over NVML's last 20 ms window, by direction",
          "By/s");
  public static final MetricId ERRORS =
      MetricId.counter(
          "hw.errors",
          "Errors the GPU reported: NVLink errors by kind, XIDs (error.type=xid)",
          "{error}");
  public static final MetricId POWER = MetricId.gauge("hw.power", "GPU power draw", "W");
  public static final MetricId POWER_LIMIT =
      MetricId.gauge("aiprof.gpu.power.limit", "GPU enforced power limit", "W");
  public static final MetricId ENERGY =
      MetricId.counter("hw.energy", "GPU energy since the driver loaded", "J");
  public static final MetricId TEMPERATURE =
      MetricId.gauge("hw.temperature", "GPU die temperature", "Cel");
  public static final MetricId STATUS =
      MetricId.gauge(
          "hw.status",
          "1 for the device's state, by hw.state: ok; degraded (late, or every reading failing);"
              + " failed (lost)",
          "1");
  public static final MetricId CLOCK_MHZ =
      MetricId.gauge(
          "aiprof.gpu.clock", "GPU clock frequency, by clock (sm, memory, graphics)", "MHz");
  public static final MetricId CLOCK_EVENTS =
      MetricId.gauge(
          "aiprof.gpu.clock_event",
          "1 while a reason holds the clocks down (NVML clock-event / throttle reasons), by reason",
          "1");
  public static final MetricId XIDS =
      MetricId.counter("aiprof.gpu.xid", "XID events, by device and XID code", "{event}");
  public static final MetricId PROCESS_UTILIZATION =
      MetricId.gauge(
          "aiprof.gpu.process.utilization",
          "Fraction of the GPU a process used in NVML's last sample, by engine (sm, memory)",
          "1");
  public static final MetricId PROCESS_MEMORY =
      MetricId.gauge("aiprof.gpu.process.memory.usage", "GPU memory a process holds", "By");
  public static final MetricId PROCESSES_DROPPED =
      MetricId.counter(
          "aiprof.gpu.processes.dropped",
          "GPU processes not reported (past nvml.max-processes per device)",
          "{process}");
  public static final MetricId SAMPLES_EVICTED =
      MetricId.counter(
          "aiprof.gpu.samples.evicted",
          "Utilization samples overwritten in the per-device ring (nvml.ring): a phase longer"
              + " than the ring's span sees only its newest samples",
          "{sample}");
  public static final MetricId SAMPLES =
      MetricId.counter("aiprof.gpu.samples", "Sampling rounds of a device", "{sample}");
  public static final MetricId SAMPLES_SKIPPED =
      MetricId.counter(
          "aiprof.gpu.samples.skipped",
          "Rounds that skipped the device because its previous sample was still running (a slow"
              + " or hung NVML call); the device is degraded meanwhile",
          "{round}");
  public static final MetricId READING_ERRORS =
      MetricId.counter(
          "aiprof.gpu.reading.errors",
          "Readings that failed (and were tried again), by reading",
          "{error}");
  public static final MetricId READINGS_OFF =
      MetricId.gauge(
          "aiprof.gpu.reading.off",
          "1 for each reading the device or driver does not support (not asked again)",
          "1");
  public static final MetricId XID_OVERFLOW =
      MetricId.counter(
          "aiprof.gpu.xid.overflow", "XIDs past the bound of (device, code) series", "{event}");

  public static final MetricId ALLOCATED =
      MetricId.gauge(
          "aiprof.gpu.allocated",
          "1 per device and container the kubelet allocated it to (pod-resources API)",
          "1");
  public static final MetricId ALLOCATED_UNKNOWN =
      MetricId.gauge(
          "aiprof.gpu.allocated.unknown",
          "Allocated device ids the kubelet reports that match no device NVML lists",
          "{device}");
  public static final MetricId POD_RESOURCES_ERRORS =
      MetricId.counter(
          "aiprof.gpu.pod_resources.errors",
          "Failed pod-resources List calls (the last answer is kept)",
          "{call}");

  public static final MetricId ROUNDS =
      MetricId.counter(
          "aiprof.gpu.sampler.rounds",
          "Sampling rounds (every device handed a sample, or skipped)",
          "{round}");
  public static final MetricId SAMPLER_CPU =
      MetricId.counter(
          "aiprof.gpu.sampler.cpu",
          "CPU time the sampling threads spent in samples (NVML calls included)",
          "s");

  public static final MetricId EVENT_ERRORS =
      MetricId.counter(
          "aiprof.gpu.events.errors", "Failed waits for XID events (retried)", "{error}");
  public static final MetricId EVENTS_OFF =
      MetricId.gauge("aiprof.gpu.events.off", "1 when the driver cannot deliver XID events", "1");

  private NvmlMetrics() {}
}
