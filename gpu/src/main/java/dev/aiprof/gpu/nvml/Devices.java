package dev.aiprof.gpu.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the devices to sample: every GPU, and for a GPU in MIG mode each configured MIG device as a
 * device of its own. A GPU that fails while being discovered is left out with the reason (the
 * others are still found).
 */
final class Devices {
  /** What discovery found, and the GPUs it could not read (index → why). */
  record Found(List<GpuDevice> devices, List<String> problems) {}

  private Devices() {}

  static Found discover(Nvml nvml) {
    List<GpuDevice> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int n = nvml.deviceCount();
    for (int i = 0; i < n; i++) {
      try {
        Nvml.Device h = nvml.handleByIndex(i);
        GpuDevice gpu =
            new GpuDevice(i, h, nvml.uuid(h), nvml.name(h), busId(nvml, h), null, -1, -1);
        out.add(gpu);
        out.addAll(migDevices(nvml, gpu));
      } catch (NvmlException e) {
        problems.add("gpu" + i + ": " + e.getMessage());
      }
    }
    return new Found(List.copyOf(out), List.copyOf(problems));
  }

  private static String busId(Nvml nvml, Nvml.Device h) {
    try {
      return nvml.pciInfo(h).busId();
    } catch (NvmlException e) {
      return "";
    }
  }

  private static List<GpuDevice> migDevices(Nvml nvml, GpuDevice gpu) {
    if (!migEnabled(nvml, gpu.handle())) {
      return List.of();
    }
    List<GpuDevice> out = new ArrayList<>();
    int max = nvml.maxMigDeviceCount(gpu.handle());
    for (int j = 0; j < max; j++) {
      Optional<Nvml.Device> m = nvml.migDevice(gpu.handle(), j);
      if (m.isEmpty()) {
        continue;
      }
      Nvml.Device h = m.get();
      out.add(
          new GpuDevice(
              gpu.index(),
              h,
              nvml.uuid(h),
              nvml.name(h),
              gpu.busId(),
              gpu.uuid(),
              nvml.gpuInstanceId(h),
              nvml.computeInstanceId(h)));
    }
    return out;
  }

  private static boolean migEnabled(Nvml nvml, Nvml.Device h) {
    try {
      return nvml.migMode(h).current() == 1;
    } catch (NvmlException e) {
      if (e.code().unsupported()) {
        return false;
      }
      throw e;
    }
  }
}
