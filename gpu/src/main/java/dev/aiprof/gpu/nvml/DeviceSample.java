package dev.aiprof.gpu.nvml;

import java.util.List;

/**
 * What one sampling round read of one device. A reading the device did not give is NaN (doubles) or
 * -1 (integers). Filled by {@link DeviceSampler} on the sampler thread, then published through a
 * volatile field: never changed afterwards.
 */
final class DeviceSample {
  /**
   * One process's use of the device: bytes, SM and memory fractions (NaN: no sample), and its
   * cgroup ids (0: unknown) for the agent's pod enrichment.
   */
  record ProcessUse(
      int pid, long usedBytes, double sm, double memory, ProcessCgroups.Ids cgroups) {}

  long monoNs;
  double gpuUtil = Double.NaN;
  double memUtil = Double.NaN;
  long memTotal = -1;
  long memUsed = -1;
  long memFree = -1;
  double powerW = Double.NaN;
  double powerLimitW = Double.NaN;
  double energyJ = Double.NaN;
  double temperatureC = Double.NaN;
  int smMhz = -1;
  int memMhz = -1;
  int graphicsMhz = -1;
  long clockEventReasons = -1;
  double pcieTxBytesPerS = Double.NaN;
  double pcieRxBytesPerS = Double.NaN;
  double nvlinkTxBytes = Double.NaN;
  double nvlinkRxBytes = Double.NaN;

  /** NVLink error totals by kind (NVLINK_ERROR_FIELDS order), NaN where not supported. */
  final double[] nvlinkErrors = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};

  List<ProcessUse> processes = List.of();

  /** Processes NVML listed beyond nvml.max-processes (not reported). */
  int processesDropped;

  /** Readings of this sample that succeeded, and that failed (unsupported ones are neither). */
  int readingsOk;

  int readingsFailed;
}
