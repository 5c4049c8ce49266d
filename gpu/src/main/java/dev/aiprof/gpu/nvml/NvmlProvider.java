package dev.aiprof.gpu.nvml;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import dev.aiprof.api.settings.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the {@code nvml} collector ({@link NvmlCollector}): on by default; on a host without an
 * NVIDIA driver it is off with one line saying so.
 */
public final class NvmlProvider implements CollectorProvider {
  public static final String NAME = "nvml";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(Role.METRIC_SOURCE, Role.PHASE_SIGNAL, Role.REPORT_SECTION);
  }

  @Override
  public List<Setting<?>> settings() {
    return NvmlSettings.ALL;
  }

  @Override
  public Collector create() {
    return new NvmlCollector(NvmlProvider::open, System::nanoTime);
  }

  /** Loads the library the settings name (or libnvidia-ml.so.1) and initialises NVML. */
  static Nvml open(Settings settings) {
    return openLibrary(library(settings));
  }

  static Nvml openLibrary(Optional<Path> library) {
    JnaNvml nvml = JnaNvml.load(library);
    try {
      nvml.init();
    } catch (NvmlException e) {
      nvml.close();
      throw e;
    }
    return nvml;
  }

  static Optional<Path> library(Settings settings) {
    String file = settings.get(NvmlSettings.LIBRARY);
    return file == null || file.isBlank() ? Optional.empty() : Optional.of(Path.of(file));
  }

  /** The one line a host without NVML gets: the cause, and what to do. */
  static String unavailable(NvmlException e, Settings settings) {
    return unavailable(e, library(settings));
  }

  static String unavailable(NvmlException e, Optional<Path> library) {
    return switch (e.code()) {
      case ERROR_LIBRARY_NOT_FOUND ->
          library.isEmpty()
              ? "no NVIDIA driver: "
                  + JnaNvml.LIBRARY
                  + " not found, GPU metrics off (install the driver, or name the library with"
                  + " --nvml-library PATH)"
              : e.getMessage()
                  + ": GPU metrics off (name the driver's libnvidia-ml.so.1 with --nvml-library)";
      case ERROR_DRIVER_NOT_LOADED ->
          "the NVIDIA driver is not loaded (" + e.getMessage() + "): GPU metrics off";
      case ERROR_NO_PERMISSION ->
          "no permission to use NVML (" + e.getMessage() + "): run as root, GPU metrics off";
      default -> "NVML did not start: " + e.getMessage() + ": GPU metrics off";
    };
  }
}
