package dev.aiprof.gpu.nvml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code aiprof doctor} says about GPUs: the driver and NVML versions and one line per GPU and
 * MIG device (name, UUID, memory, PCI bus id), or why there are none. Opens NVML, reads, and shuts
 * it down.
 *
 * @param available whether NVML initialised and found at least one GPU
 * @param summary the driver line, or why there is none (with the fix)
 * @param devices one line per device: label and description
 */
public record GpuInventory(boolean available, String summary, List<Line> devices) {
  /** One device: {@code gpu0} or {@code gpu0/mig1.0}, and what it is. */
  public record Line(String label, String detail) {}

  /** Reads the GPUs through {@code library} (empty: libnvidia-ml.so.1 by name). */
  public static GpuInventory read(Optional<Path> library) {
    return read(() -> NvmlProvider.openLibrary(library), library);
  }

  static GpuInventory read(Supplier<Nvml> open, Optional<Path> library) {
    Nvml nvml;
    try {
      nvml = open.get();
    } catch (NvmlException e) {
      return new GpuInventory(false, NvmlProvider.unavailable(e, library), List.of());
    }
    try (nvml) {
      Devices.Found found = Devices.discover(nvml);
      List<Line> lines = new ArrayList<>();
      for (GpuDevice d : found.devices()) {
        lines.add(new Line(d.label(), describe(nvml, d)));
      }
      found.problems().forEach(p -> lines.add(new Line("gpu?", p)));
      String summary =
          "driver "
              + nvml.driverVersion()
              + ", NVML "
              + nvml.nvmlVersion()
              + ", "
              + found.devices().stream().filter(d -> !d.mig()).count()
              + " GPUs";
      return new GpuInventory(!found.devices().isEmpty(), summary, List.copyOf(lines));
    } catch (NvmlException e) {
      return new GpuInventory(false, "NVML failed: " + e.getMessage(), List.of());
    }
  }

  private static String describe(Nvml nvml, GpuDevice d) {
    String mem;
    try {
      mem = String.format("%.1f GiB", nvml.memory(d.handle()).total() / (double) (1L << 30));
    } catch (NvmlException e) {
      mem = "memory unknown";
    }
    return d.name() + ", " + d.uuid() + ", " + mem + (d.busId().isEmpty() ? "" : ", " + d.busId());
  }
}
