package dev.aiprof.gpu.nvml;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reports every device's latest sample, its counts and the XID history as metrics ({@link
 * NvmlMetrics}). Reads only what the sampler and the XID thread published; never calls NVML.
 */
final class NvmlExport implements MetricSource {
  private final List<DeviceState> devices;
  private final XidLog xids;

  NvmlExport(List<DeviceState> devices, XidLog xids) {
    this.devices = devices;
    this.xids = xids;
  }

  @Override
  public void collect(MetricSink sink) {
    for (DeviceState d : devices) {
      Attributes a = d.device.attributes();
      sink.gauge(NvmlMetrics.STATUS, with(a, NvmlMetrics.STATE, d.state().id()), 1);
      sink.counter(NvmlMetrics.SAMPLES, a, d.samples.get());
      sink.counter(NvmlMetrics.SAMPLES_SKIPPED, a, d.skipped.get());
      sink.counter(NvmlMetrics.SAMPLES_EVICTED, a, d.ring.dropped());
      d.errors()
          .forEach(
              (r, n) ->
                  sink.counter(
                      NvmlMetrics.READING_ERRORS, with(a, NvmlMetrics.READING, r.id()), n));
      d.sampler
          .off()
          .forEach(
              r -> sink.gauge(NvmlMetrics.READINGS_OFF, with(a, NvmlMetrics.READING, r.id()), 1));
      if (d.processesDropped.get() > 0) {
        sink.counter(NvmlMetrics.PROCESSES_DROPPED, a, d.processesDropped.get());
      }
      DeviceSample s = d.latest();
      if (s != null && d.lost() == null) {
        sample(sink, a, s);
      }
    }
    Map<GpuDevice, Long> perDevice = new HashMap<>();
    for (Map.Entry<XidLog.Key, Long> e : xids.counts().entrySet()) {
      Attributes a = e.getKey().device().attributes();
      sink.counter(
          NvmlMetrics.XIDS,
          a.toBuilder().put(NvmlMetrics.XID_CODE, e.getKey().code()).build(),
          e.getValue());
      perDevice.merge(e.getKey().device(), e.getValue(), Long::sum);
    }
    perDevice.forEach(
        (d, n) ->
            sink.counter(
                NvmlMetrics.ERRORS, with(d.attributes(), NvmlMetrics.ERROR_TYPE, "xid"), n));
    if (xids.overflow() > 0) {
      sink.counter(NvmlMetrics.XID_OVERFLOW, Attributes.empty(), xids.overflow());
    }
  }

  private static void sample(MetricSink sink, Attributes a, DeviceSample s) {
    gauge(sink, NvmlMetrics.UTILIZATION, with(a, NvmlMetrics.TASK, "general"), s.gpuUtil);
    gauge(sink, NvmlMetrics.MEMORY_CONTROLLER, a, s.memUtil);
    if (s.memTotal > 0) {
      sink.gauge(NvmlMetrics.MEMORY_LIMIT, a, s.memTotal);
      sink.gauge(NvmlMetrics.MEMORY_USAGE, a, s.memUsed);
      sink.gauge(NvmlMetrics.MEMORY_UTILIZATION, a, (double) s.memUsed / s.memTotal);
    }
    gauge(sink, NvmlMetrics.POWER, a, s.powerW);
    gauge(sink, NvmlMetrics.POWER_LIMIT, a, s.powerLimitW);
    counter(sink, NvmlMetrics.ENERGY, a, s.energyJ);
    gauge(sink, NvmlMetrics.TEMPERATURE, with(a, NvmlMetrics.SENSOR, "gpu"), s.temperatureC);
    clock(sink, a, "sm", s.smMhz);
    clock(sink, a, "memory", s.memMhz);
    clock(sink, a, "graphics", s.graphicsMhz);
    if (s.clockEventReasons >= 0) {
      for (ClockEvents r : ClockEvents.values()) {
        sink.gauge(
            NvmlMetrics.CLOCK_EVENTS,
            with(a, NvmlMetrics.REASON, r.id),
            (s.clockEventReasons & r.bit) != 0 ? 1 : 0);
      }
    }
    gauge(sink, NvmlMetrics.PCIE, with(a, NvmlMetrics.DIRECTION, "transmit"), s.pcieTxBytesPerS);
    gauge(sink, NvmlMetrics.PCIE, with(a, NvmlMetrics.DIRECTION, "receive"), s.pcieRxBytesPerS);
    counter(sink, NvmlMetrics.IO, with(a, NvmlMetrics.DIRECTION, "transmit"), s.nvlinkTxBytes);
    counter(sink, NvmlMetrics.IO, with(a, NvmlMetrics.DIRECTION, "receive"), s.nvlinkRxBytes);
    for (int i = 0; i < DeviceSampler.NVLINK_ERROR_TYPES.length; i++) {
      counter(
          sink,
          NvmlMetrics.ERRORS,
          with(a, NvmlMetrics.ERROR_TYPE, DeviceSampler.NVLINK_ERROR_TYPES[i]),
          s.nvlinkErrors[i]);
    }
    for (DeviceSample.ProcessUse p : s.processes) {
      Attributes pa =
          a.toBuilder()
              .put(Identity.PID, (long) p.pid())
              .put(Identity.CGROUP_ID, p.cgroups().v2())
              .put(Identity.CGROUP_V1_ID, p.cgroups().v1())
              .build();
      sink.gauge(NvmlMetrics.PROCESS_MEMORY, pa, p.usedBytes());
      gauge(sink, NvmlMetrics.PROCESS_UTILIZATION, with(pa, NvmlMetrics.ENGINE, "sm"), p.sm());
      gauge(
          sink,
          NvmlMetrics.PROCESS_UTILIZATION,
          with(pa, NvmlMetrics.ENGINE, "memory"),
          p.memory());
    }
  }

  private static void clock(MetricSink sink, Attributes a, String clock, int mhz) {
    if (mhz >= 0) {
      sink.gauge(NvmlMetrics.CLOCK_MHZ, with(a, NvmlMetrics.CLOCK, clock), mhz);
    }
  }

  private static void gauge(MetricSink sink, MetricId m, Attributes a, double v) {
    if (!Double.isNaN(v)) {
      sink.gauge(m, a, v);
    }
  }

  private static void counter(MetricSink sink, MetricId m, Attributes a, double v) {
    if (!Double.isNaN(v)) {
      sink.counter(m, a, v);
    }
  }

  private static Attributes with(Attributes a, AttributeKey<String> k, String v) {
    return a.toBuilder().put(k, v).build();
  }
}
