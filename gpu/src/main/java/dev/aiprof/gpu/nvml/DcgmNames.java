package dev.aiprof.gpu.nvml;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.List;
import java.util.function.Supplier;

/**
 * The same samples under dcgm-exporter's names and labels ({@code nvml.dcgm-names}), so that
 * NVIDIA's published dcgm-exporter Grafana dashboard works unchanged against the agent's Prometheus
 * endpoint. Each is a gauge in dcgm-exporter's unit, given as an annotation ({MiB}) so that the
 * Prometheus exporter adds no suffix to the name; labels {@code gpu}, {@code UUID}, {@code device},
 * {@code modelName}, {@code Hostname}, {@code pci_bus_id}, {@code GPU_I_ID} (MIG) and, where the
 * kubelet allocated the device, {@code pod}, {@code namespace}, {@code container}. DCGM's profiling
 * fields ({@code DCGM_FI_PROF_*}) come from DCGM itself, not NVML, and are not served.
 */
final class DcgmNames implements MetricSource {
  static final MetricId GPU_UTIL =
      gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %)", "{percent}");
  static final MetricId MEM_COPY_UTIL =
      gauge("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %)", "{percent}");
  static final MetricId FB_USED =
      gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB)", "{MiB}");
  static final MetricId FB_FREE =
      gauge("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB)", "{MiB}");
  static final MetricId GPU_TEMP = gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C)", "{Cel}");
  static final MetricId POWER = gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W)", "{W}");
  static final MetricId SM_CLOCK =
      gauge("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz)", "{MHz}");
  static final MetricId MEM_CLOCK =
      gauge("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz)", "{MHz}");
  static final MetricId ENERGY =
      gauge(
          "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
          "Total energy consumption since boot (in mJ)",
          "{mJ}");
  static final MetricId XID =
      gauge("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error", "{xid}");

  private static final AttributeKey<String> GPU = AttributeKey.stringKey("gpu");
  private static final AttributeKey<String> UUID = AttributeKey.stringKey("UUID");
  private static final AttributeKey<String> DEVICE = AttributeKey.stringKey("device");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("modelName");
  private static final AttributeKey<String> HOST = AttributeKey.stringKey("Hostname");
  private static final AttributeKey<String> PCI = AttributeKey.stringKey("pci_bus_id");
  private static final AttributeKey<String> GPU_I_ID = AttributeKey.stringKey("GPU_I_ID");
  private static final AttributeKey<String> POD = AttributeKey.stringKey("pod");
  private static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("namespace");
  private static final AttributeKey<String> CONTAINER = AttributeKey.stringKey("container");

  private final List<DeviceState> devices;
  private final XidLog xids;
  private final String hostname;
  private final Supplier<Allocations> allocations;

  DcgmNames(
      List<DeviceState> devices, XidLog xids, String hostname, Supplier<Allocations> allocations) {
    this.devices = devices;
    this.xids = xids;
    this.hostname = hostname;
    this.allocations = allocations;
  }

  /** A gauge whose unit is an annotation only ({MiB}): Prometheus adds no unit suffix. */
  private static MetricId gauge(String name, String description, String unit) {
    return new MetricId(name, description, unit, MetricId.Kind.GAUGE);
  }

  @Override
  public void collect(MetricSink sink) {
    for (DeviceState d : devices) {
      DeviceSample s = d.latest();
      if (s == null || d.lost() != null) {
        continue;
      }
      Attributes a = labels(d.device);
      put(sink, GPU_UTIL, a, s.gpuUtil * 100);
      put(sink, MEM_COPY_UTIL, a, s.memUtil * 100);
      if (s.memTotal > 0) {
        sink.gauge(FB_USED, a, s.memUsed >> 20);
        sink.gauge(FB_FREE, a, s.memFree >> 20);
      }
      put(sink, GPU_TEMP, a, s.temperatureC);
      put(sink, POWER, a, s.powerW);
      put(sink, SM_CLOCK, a, s.smMhz < 0 ? Double.NaN : s.smMhz);
      put(sink, MEM_CLOCK, a, s.memMhz < 0 ? Double.NaN : s.memMhz);
      put(sink, ENERGY, a, s.energyJ * 1000);
      if (!d.device.mig()) {
        sink.gauge(XID, a, xids.last(d.device));
      }
    }
  }

  private Attributes labels(GpuDevice d) {
    AttributesBuilder b =
        Attributes.builder()
            .put(GPU, Integer.toString(d.index()))
            .put(UUID, d.uuid())
            .put(DEVICE, "nvidia" + d.index())
            .put(MODEL, d.name())
            .put(HOST, hostname)
            .put(PCI, d.busId());
    if (d.mig()) {
      b.put(GPU_I_ID, Integer.toString(d.gpuInstance()));
    }
    Allocations al = allocations.get();
    if (al != null) {
      for (Allocations.Allocated x : al.current()) {
        if (x.device().equals(d)) {
          b.put(POD, x.to().pod())
              .put(NAMESPACE, x.to().namespace())
              .put(CONTAINER, x.to().container());
          break;
        }
      }
    }
    return b.build();
  }

  private static void put(MetricSink sink, MetricId m, Attributes a, double v) {
    if (!Double.isNaN(v)) {
      sink.gauge(m, a, v);
    }
  }
}
