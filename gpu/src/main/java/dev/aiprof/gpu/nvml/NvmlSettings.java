package dev.aiprof.gpu.nvml;

import dev.aiprof.api.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The NVML collector's settings: every key it reads, with its default and bounds. */
public final class NvmlSettings {
  public static final Setting<String> LIBRARY =
      Setting.of(
          "nvml.library",
          NvmlSettings::library,
          v -> v,
          "a file path (empty: libnvidia-ml.so.1 by name)",
          "",
          "the NVML library file to load (--nvml-library); empty: libnvidia-ml.so.1 as the"
              + " dynamic loader finds it");

  public static final Setting<Duration> INTERVAL =
      Setting.duration(
          "nvml.interval",
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofMinutes(1),
          "how often every GPU is sampled (utilisation, memory, power, processes...)");
  public static final Setting<Integer> THREADS =
      Setting.integer(
          "nvml.threads",
          8,
          1,
          128,
          "threads that sample the devices, each device on one at a time (no more than the"
              + " devices): a device whose NVML calls hang holds one, the others are sampled on"
              + " time");
  public static final Setting<Integer> RING =
      Setting.integer(
          "nvml.ring",
          600,
          8,
          86_400,
          "samples kept per device for the phase signal; the oldest go first");
  public static final Setting<Integer> MAX_PROCESSES =
      Setting.integer(
          "nvml.max-processes",
          256,
          1,
          65_536,
          "processes per device whose GPU use is reported; more are dropped (counted)");
  public static final Setting<String> POD_RESOURCES =
      Setting.text(
          "nvml.pod-resources-socket",
          "/var/lib/kubelet/pod-resources/kubelet.sock",
          "the kubelet's pod-resources socket: which pod each GPU is allocated to (off: none;"
              + " absent: not a kubelet node, none)");
  public static final Setting<Duration> POD_RESOURCES_INTERVAL =
      Setting.duration(
          "nvml.pod-resources-interval",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how often the kubelet is asked for the GPU allocations");

  public static final Setting<Boolean> DCGM_NAMES =
      Setting.flag(
          "nvml.dcgm-names",
          false,
          "also report the GPU samples under dcgm-exporter's names and labels (DCGM_FI_DEV_*), so"
              + " NVIDIA's dcgm-exporter Grafana dashboard works against the Prometheus endpoint");

  static final List<Setting<?>> ALL =
      List.of(
          LIBRARY,
          INTERVAL,
          THREADS,
          RING,
          MAX_PROCESSES,
          POD_RESOURCES,
          POD_RESOURCES_INTERVAL,
          DCGM_NAMES);

  private NvmlSettings() {}

  private static String library(String key, String text) {
    if (!text.isEmpty() && !Files.isRegularFile(Path.of(text))) {
      throw new IllegalArgumentException(
          "invalid "
              + key
              + " '"
              + text
              + "': no such file (name the driver's libnvidia-ml.so.1, e.g."
              + " /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1, or leave it out)");
    }
    return text;
  }
}
