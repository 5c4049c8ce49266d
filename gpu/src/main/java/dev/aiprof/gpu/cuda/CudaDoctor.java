package dev.aiprof.gpu.cuda;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.cuda.CudaConfig;
import dev.aiprof.bpf.cuda.CudaProbe;
import dev.aiprof.bpf.cuda.CudaSymbol;
import dev.aiprof.bpf.cuda.ElfExports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code aiprof doctor} says about CUDA: whether the CUDA probe loads here (uprobes,
 * uretprobes, attach cookies, task storage: the driver API can be probed), the driver library on
 * the host and how many of the probed functions it exports, and the CUDA libraries each process
 * maps now. Reads /proc and ELF files; loads and closes the probe. Stateless.
 */
public final class CudaDoctor {
  /** Where distributions and the NVIDIA container toolkit put the driver library. */
  static final List<Path> DRIVER_PATHS =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libcuda.so.1"),
          Path.of("/usr/lib64/libcuda.so.1"),
          Path.of("/usr/lib/aarch64-linux-gnu/libcuda.so.1"),
          Path.of("/usr/local/nvidia/lib64/libcuda.so.1"));

  /** Processes listed one per line; the rest are counted on one more. */
  static final int MAX_PROCESSES = 20;

  /** One doctor line. */
  public record Line(String item, boolean ok, String detail) {}

  private CudaDoctor() {}

  /** Every CUDA line for this host. */
  public static List<Line> lines(HostPaths paths, Features features) {
    List<Line> out = new ArrayList<>();
    out.add(probe(features));
    CudaLibraryScan scan = null;
    try {
      scan = CudaLibraryScan.of(paths);
    } catch (IOException e) {
      out.add(new Line("cuda processes", false, "cannot read " + paths.procfs() + ": " + e));
    }
    List<Path> drivers = new ArrayList<>(DRIVER_PATHS);
    if (scan != null) {
      drivers.addAll(mappedDrivers(scan)); // a container's own driver, or one in an odd place
    }
    out.add(1, driver(drivers));
    if (scan != null) {
      out.addAll(processes(scan, paths));
    }
    return out;
  }

  /** The driver files processes map, through their roots. */
  static List<Path> mappedDrivers(CudaLibraryScan scan) {
    return scan.libraries().values().stream()
        .filter(f -> f.library().api() == CudaApi.DRIVER)
        .map(f -> f.paths().getFirst())
        .toList();
  }

  static Line probe(Features features) {
    try (CudaProbe p = CudaProbe.load(features, CudaConfig.defaults())) {
      return new Line(
          "cuda probe",
          true,
          "loads: uprobes and uretprobes on the driver API (libcuda.so.1) and runtime API"
              + " (libcudart.so.*)");
    } catch (BpfException e) {
      return new Line("cuda probe", false, "cannot probe CUDA calls: " + e.getMessage());
    } catch (RuntimeException e) {
      return new Line("cuda probe", false, "cannot probe CUDA calls: " + e);
    }
  }

  static Line driver(List<Path> candidates) {
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        try {
          Set<String> exports = ElfExports.of(p);
          long n = CudaSymbol.DRIVER.stream().filter(s -> exports.contains(s.name())).count();
          return new Line(
              "cuda driver",
              n > 0,
              p.toRealPath()
                  + ": exports "
                  + n
                  + " of "
                  + CudaSymbol.DRIVER.size()
                  + " probed functions");
        } catch (IOException e) {
          return new Line("cuda driver", false, p + " unreadable: " + e.getMessage());
        }
      }
    }
    return new Line(
        "cuda driver",
        false,
        "no libcuda.so.1 on this host (no NVIDIA driver): CUDA calls not seen");
  }

  static List<Line> processes(CudaLibraryScan scan, HostPaths paths) {
    if (scan.byPid().isEmpty()) {
      return List.of(new Line("cuda processes", false, "none maps libcuda.so or libcudart.so now"));
    }
    List<Line> out = new ArrayList<>();
    for (Map.Entry<Integer, Set<CudaLibrary>> e : scan.byPid().entrySet()) {
      if (out.size() == MAX_PROCESSES) {
        out.add(
            new Line(
                "cuda processes", true, "and " + (scan.byPid().size() - MAX_PROCESSES) + " more"));
        break;
      }
      String libs =
          e.getValue().stream()
              .map(l -> l.path() + " (" + l.api().label() + ")")
              .collect(Collectors.joining(", "));
      out.add(new Line("cuda pid " + e.getKey(), true, comm(paths, e.getKey()) + ": " + libs));
    }
    return out;
  }

  private static String comm(HostPaths paths, int pid) {
    try {
      return Files.readString(paths.proc(Integer.toString(pid), "comm")).strip();
    } catch (IOException e) {
      return "?";
    }
  }
}
