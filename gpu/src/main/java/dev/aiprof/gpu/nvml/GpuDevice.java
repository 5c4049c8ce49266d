package dev.aiprof.gpu.nvml;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * One device the collector samples: a GPU, or a MIG device of one (reported as a device of its own,
 * with its parent's {@code hw.id} as {@code hw.parent}). Immutable.
 *
 * @param index NVML's index of the GPU (a MIG device: its parent's)
 * @param handle NVML's handle
 * @param uuid {@code GPU-...} or {@code MIG-...}: the {@code hw.id}
 * @param name the model name NVML gives
 * @param busId the PCI bus id (a MIG device: its parent's)
 * @param parent the parent GPU's uuid, or null
 * @param gpuInstance the MIG GPU instance id, or -1
 * @param computeInstance the MIG compute instance id, or -1
 */
public record GpuDevice(
    int index,
    Nvml.Device handle,
    String uuid,
    String name,
    String busId,
    String parent,
    int gpuInstance,
    int computeInstance) {
  public static final AttributeKey<String> HW_ID = AttributeKey.stringKey("hw.id");
  public static final AttributeKey<String> HW_NAME = AttributeKey.stringKey("hw.name");
  public static final AttributeKey<String> HW_MODEL = AttributeKey.stringKey("hw.model");
  public static final AttributeKey<String> HW_VENDOR = AttributeKey.stringKey("hw.vendor");
  public static final AttributeKey<String> HW_TYPE = AttributeKey.stringKey("hw.type");
  public static final AttributeKey<String> HW_PARENT = AttributeKey.stringKey("hw.parent");
  public static final AttributeKey<Long> INDEX = AttributeKey.longKey("aiprof.gpu.index");
  public static final AttributeKey<String> PCI = AttributeKey.stringKey("aiprof.gpu.pci_bus_id");
  public static final AttributeKey<Long> GI = AttributeKey.longKey("aiprof.gpu.mig.gpu_instance");
  public static final AttributeKey<Long> CI =
      AttributeKey.longKey("aiprof.gpu.mig.compute_instance");

  public boolean mig() {
    return parent != null;
  }

  /** "gpu3" or "gpu0/mig5.0": a short name for logs, tables and {@code hw.name}. */
  public String label() {
    return mig() ? "gpu" + index + "/mig" + gpuInstance + "." + computeInstance : "gpu" + index;
  }

  /** The attributes of every series of this device (OpenTelemetry's hardware conventions). */
  public Attributes attributes() {
    var b =
        Attributes.builder()
            .put(HW_ID, uuid)
            .put(HW_NAME, label())
            .put(HW_MODEL, name)
            .put(HW_VENDOR, "NVIDIA")
            .put(HW_TYPE, "gpu")
            .put(INDEX, (long) index)
            .put(PCI, busId);
    if (mig()) {
      b.put(HW_PARENT, parent).put(GI, (long) gpuInstance).put(CI, (long) computeInstance);
    }
    return b.build();
  }
}
