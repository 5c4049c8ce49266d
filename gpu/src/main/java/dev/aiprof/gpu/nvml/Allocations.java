package dev.aiprof.gpu.nvml;

import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which pod each device is allocated to, from the kubelet's pod-resources API, refreshed on the
 * housekeeping thread: {@code aiprof.gpu.allocated} is 1 per (device, pod, container), so a GPU
 * allocated to a pod that does not use it shows (join it with {@code hw.gpu.utilization}). A device
 * id the device plugin reports is a GPU or MIG UUID, or a GPU's index. Thread-safe.
 */
final class Allocations {
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("k8s.namespace.name");
  static final AttributeKey<String> POD = AttributeKey.stringKey("k8s.pod.name");
  static final AttributeKey<String> CONTAINER = AttributeKey.stringKey("k8s.container.name");
  static final AttributeKey<String> RESOURCE = AttributeKey.stringKey("aiprof.gpu.resource");
  private static final System.Logger LOG = System.getLogger(Allocations.class.getName());

  /** A device's allocation to one container. */
  record Allocated(GpuDevice device, PodResourcesDecoder.Allocation to) {}

  private final PodResources client;
  private final List<GpuDevice> devices;
  private volatile List<Allocated> current = List.of();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();

  Allocations(PodResources client, List<GpuDevice> devices) {
    this.client = client;
    this.devices = devices;
  }

  /** Asks the kubelet again; on failure keeps the last answer (counted, logged once). */
  void refresh() {
    try {
      List<Allocated> next = new ArrayList<>();
      long unmatched = 0;
      for (PodResourcesDecoder.Allocation a : client.list()) {
        GpuDevice d = match(a.deviceId());
        if (d == null) {
          unmatched++;
        } else {
          next.add(new Allocated(d, a));
        }
      }
      unknown.set(unmatched);
      current = List.copyOf(next);
    } catch (IOException e) {
      if (errors.getAndIncrement() == 0) {
        LOG.log(System.Logger.Level.WARNING, "nvml: " + e.getMessage() + " (GPU allocations)");
      }
    }
  }

  private GpuDevice match(String id) {
    for (GpuDevice d : devices) {
      if (d.uuid().equals(id) || (!d.mig() && Integer.toString(d.index()).equals(id))) {
        return d;
      }
    }
    return null;
  }

  List<Allocated> current() {
    return current;
  }

  void collect(MetricSink sink) {
    for (Allocated a : current) {
      Attributes attrs =
          a.device().attributes().toBuilder()
              .put(NAMESPACE, a.to().namespace())
              .put(POD, a.to().pod())
              .put(CONTAINER, a.to().container())
              .put(RESOURCE, a.to().resource())
              .build();
      sink.gauge(NvmlMetrics.ALLOCATED, attrs, 1);
    }
    sink.counter(NvmlMetrics.POD_RESOURCES_ERRORS, Attributes.empty(), errors.get());
    sink.gauge(NvmlMetrics.ALLOCATED_UNKNOWN, Attributes.empty(), unknown.get());
  }
}
