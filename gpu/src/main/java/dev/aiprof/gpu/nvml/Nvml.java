package dev.aiprof.gpu.nvml;

import java.util.List;
import java.util.Optional;

/**
 * The part of NVML aiprof reads, one method per NVML function (or pair of them, for the two-call
 * pattern). {@link JnaNvml} binds it to {@code libnvidia-ml.so.1}; tests of everything above the
 * binding use an in-memory implementation.
 *
 * <p>Every method throws {@link NvmlException} with NVML's code when the call fails, {@link
 * NvmlReturn#ERROR_FUNCTION_NOT_FOUND} when the library lacks the function (an older driver).
 * Lifecycle: {@link #init} once, then any call from any thread (NVML is thread-safe), {@link
 * #close} once ({@code nvmlShutdown}).
 */
public interface Nvml extends AutoCloseable {
  /** An opaque device handle ({@code nvmlDevice_t}): a GPU, or a MIG device of one. */
  record Device(long handle) {}

  /** {@code nvmlPciInfo_t}: the bus id as {@code 00000000:18:00.0}, and the PCI ids. */
  record Pci(String busId, int domain, int bus, int device, int pciDeviceId, int subsystemId) {}

  /** {@code nvmlUtilization_t}: percent of the last sample period the GPU / memory was busy. */
  record Utilization(int gpu, int memory) {}

  /** {@code nvmlMemory_v2_t}, bytes; {@code reserved} is -1 when only v1 was available. */
  record Memory(long total, long reserved, long free, long used) {}

  /** {@code nvmlProcessInfo_t} (v3): ids are 0xFFFFFFFF (-1 here) outside MIG. */
  record Process(int pid, long usedBytes, int gpuInstanceId, int computeInstanceId) {}

  /** {@code nvmlProcessUtilizationSample_t}: percents; time in µs since the epoch. */
  record ProcessSample(int pid, long timestampUs, int sm, int memory, int encoder, int decoder) {}

  /**
   * {@code nvmlFieldValue_t}: one field's own return code and value (unsigned integers as double).
   */
  record FieldValue(int fieldId, int scopeId, long timestampUs, NvmlReturn status, double value) {}

  /** {@code nvmlDeviceGetMigMode}: 1 enabled, 0 disabled. */
  record MigMode(int current, int pending) {}

  /** {@code nvmlEventData_t}: for an XID, {@code data} is the XID code. */
  record Event(Device device, long type, long data, int gpuInstanceId, int computeInstanceId) {}

  /** {@code nvmlClockType_t}. */
  enum Clock {
    GRAPHICS,
    SM,
    MEMORY,
    VIDEO
  }

  /** {@code nvmlPcieUtilCounter_t}. */
  enum PcieCounter {
    TX,
    RX
  }

  /** {@code nvmlEventTypeXidCriticalError}. */
  long EVENT_XID = 0x8L;

  void init();

  String driverVersion();

  String nvmlVersion();

  /** NVML's text for a code ({@code nvmlErrorString}). */
  String errorString(NvmlReturn code);

  int deviceCount();

  Device handleByIndex(int index);

  String uuid(Device d);

  String name(Device d);

  Pci pciInfo(Device d);

  Utilization utilization(Device d);

  Memory memory(Device d);

  int powerMilliwatts(Device d);

  int powerLimitMilliwatts(Device d);

  long energyMillijoules(Device d);

  /** The GPU die temperature, °C. */
  int temperature(Device d);

  int clockMhz(Device d, Clock clock);

  /** The clock-event (throttle) reason bits ({@code nvmlClocksEventReason*}). */
  long clockEventReasons(Device d);

  int pcieThroughputKBps(Device d, PcieCounter counter);

  /** Field values, one per id, each with its own status. */
  List<FieldValue> fieldValues(Device d, int... fieldIds);

  /** Compute processes running on the device, with their memory (v3; two calls). */
  List<Process> computeProcesses(Device d);

  /**
   * Per-process utilisation samples newer than {@code lastSeenUs} (0: all the driver holds); empty
   * when there are none ({@code NVML_ERROR_NOT_FOUND}).
   */
  List<ProcessSample> processUtilization(Device d, long lastSeenUs);

  MigMode migMode(Device d);

  int maxMigDeviceCount(Device d);

  /** The MIG device at {@code index} of a GPU in MIG mode; empty where none is configured. */
  Optional<Device> migDevice(Device d, int index);

  int gpuInstanceId(Device d);

  int computeInstanceId(Device d);

  /** A new event set ({@code nvmlEventSetCreate}): its handle. */
  long eventSetCreate();

  void registerEvents(long set, Device d, long types);

  /** The next event within {@code timeoutMs}, empty on timeout ({@code nvmlEventSetWait_v2}). */
  Optional<Event> eventWait(long set, int timeoutMs);

  void eventSetFree(long set);

  /** {@code nvmlShutdown}; idempotent. */
  @Override
  void close();
}
