package dev.aiprof.agent.doctor;

import dev.aiprof.gpu.nvml.GpuInventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The doctor's GPU lines: {@code nvml} (driver and NVML versions and the GPU count, or why there is
 * no GPU), then one line per GPU and MIG device. Optional: no GPU never stops the agent.
 */
final class GpuChecks {
  private GpuChecks() {}

  static List<Check> of(Optional<Path> library) {
    GpuInventory inv = GpuInventory.read(library);
    List<Check> out = new ArrayList<>();
    out.add(Check.of("nvml", inv.available(), inv.summary(), false));
    for (GpuInventory.Line l : inv.devices()) {
      out.add(Check.of("  " + l.label(), true, l.detail(), false));
    }
    return out;
  }
}
