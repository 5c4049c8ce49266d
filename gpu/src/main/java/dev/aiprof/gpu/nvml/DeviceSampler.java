package dev.aiprof.gpu.nvml;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Reads one device each round, utilisation first (what NVML's sample period ends with). A reading
 * the device does not support is switched off for it ({@link Reading}); one that fails otherwise is
 * counted and tried again next round. A lost device ({@code GPU_IS_LOST}) throws {@link
 * NvmlException} so that the caller records it. A sample whose thread is interrupted (the collector
 * closing) skips the readings it has not started. Used by one pool thread at a time ({@link
 * DeviceState#begin}).
 */
final class DeviceSampler {
  static final int[] NVLINK_FIELDS = {
    FieldIds.NVLINK_TX_KIB,
    FieldIds.NVLINK_RX_KIB,
    FieldIds.NVLINK_CRC_FLIT_ERRORS,
    FieldIds.NVLINK_CRC_DATA_ERRORS,
    FieldIds.NVLINK_REPLAY_ERRORS,
    FieldIds.NVLINK_RECOVERY_ERRORS
  };
  static final String[] NVLINK_ERROR_TYPES = {
    "nvlink_crc_flit", "nvlink_crc_data", "nvlink_replay", "nvlink_recovery"
  };

  private final Nvml nvml;
  private final GpuDevice device;
  private final int maxProcesses;
  private final EnumSet<Reading> off = EnumSet.noneOf(Reading.class);
  private final BiConsumer<Reading, NvmlException> disabled;
  private final BiConsumer<Reading, NvmlException> failed;
  private final IntFunction<ProcessCgroups.Ids> cgroups;
  private long lastProcessSampleUs;

  /**
   * @param disabled told once per reading the device does not support
   * @param failed told of every other failed reading (but a lost device, which throws)
   */
  DeviceSampler(
      Nvml nvml,
      GpuDevice device,
      int maxProcesses,
      BiConsumer<Reading, NvmlException> disabled,
      BiConsumer<Reading, NvmlException> failed,
      IntFunction<ProcessCgroups.Ids> cgroups) {
    this.cgroups = cgroups;
    this.nvml = nvml;
    this.device = device;
    this.maxProcesses = maxProcesses;
    this.disabled = disabled;
    this.failed = failed;
    if (device.mig()) {
      // NVML does not report these per MIG device; the parent's sample has them.
      off.addAll(
          EnumSet.of(
              Reading.UTILIZATION,
              Reading.POWER,
              Reading.POWER_LIMIT,
              Reading.ENERGY,
              Reading.TEMPERATURE,
              Reading.CLOCKS,
              Reading.CLOCK_EVENTS,
              Reading.PCIE,
              Reading.NVLINK,
              Reading.PROCESS_UTILIZATION));
    }
  }

  GpuDevice device() {
    return device;
  }

  /** The readings switched off for this device. */
  Set<Reading> off() {
    return EnumSet.copyOf(off);
  }

  DeviceSample sample(long monoNs) {
    DeviceSample s = new DeviceSample();
    s.monoNs = monoNs;
    Nvml.Device h = device.handle();
    read(
        s,
        Reading.UTILIZATION,
        () -> {
          Nvml.Utilization u = nvml.utilization(h);
          s.gpuUtil = u.gpu() / 100.0;
          s.memUtil = u.memory() / 100.0;
        });
    read(
        s,
        Reading.MEMORY,
        () -> {
          Nvml.Memory m = nvml.memory(h);
          s.memTotal = m.total();
          s.memUsed = m.used();
          s.memFree = m.free();
        });
    read(s, Reading.POWER, () -> s.powerW = nvml.powerMilliwatts(h) / 1000.0);
    read(s, Reading.POWER_LIMIT, () -> s.powerLimitW = nvml.powerLimitMilliwatts(h) / 1000.0);
    read(s, Reading.ENERGY, () -> s.energyJ = nvml.energyMillijoules(h) / 1000.0);
    read(s, Reading.TEMPERATURE, () -> s.temperatureC = nvml.temperature(h));
    read(
        s,
        Reading.CLOCKS,
        () -> {
          s.smMhz = nvml.clockMhz(h, Nvml.Clock.SM);
          s.memMhz = nvml.clockMhz(h, Nvml.Clock.MEMORY);
          s.graphicsMhz = nvml.clockMhz(h, Nvml.Clock.GRAPHICS);
        });
    read(s, Reading.CLOCK_EVENTS, () -> s.clockEventReasons = nvml.clockEventReasons(h));
    read(
        s,
        Reading.PCIE,
        () -> {
          s.pcieTxBytesPerS = nvml.pcieThroughputKBps(h, Nvml.PcieCounter.TX) * 1000.0;
          s.pcieRxBytesPerS = nvml.pcieThroughputKBps(h, Nvml.PcieCounter.RX) * 1000.0;
        });
    read(s, Reading.NVLINK, () -> nvlink(s));
    read(s, Reading.PROCESSES, () -> processes(s));
    return s;
  }

  private void nvlink(DeviceSample s) {
    List<Nvml.FieldValue> v = nvml.fieldValues(device.handle(), NVLINK_FIELDS);
    if (v.stream().allMatch(f -> f.status().unsupported())) {
      throw new NvmlException(
          "nvmlDeviceGetFieldValues", NvmlReturn.ERROR_NOT_SUPPORTED, "no NVLink fields");
    }
    s.nvlinkTxBytes = ok(v.get(0)) * 1024;
    s.nvlinkRxBytes = ok(v.get(1)) * 1024;
    for (int i = 0; i < 4; i++) {
      s.nvlinkErrors[i] = ok(v.get(2 + i));
    }
  }

  private static double ok(Nvml.FieldValue f) {
    return f.status() == NvmlReturn.SUCCESS ? f.value() : Double.NaN;
  }

  private void processes(DeviceSample s) {
    List<Nvml.Process> procs = nvml.computeProcesses(device.handle());
    Map<Integer, Nvml.ProcessSample> util = new HashMap<>();
    read(
        s,
        Reading.PROCESS_UTILIZATION,
        () -> {
          for (Nvml.ProcessSample p :
              nvml.processUtilization(device.handle(), lastProcessSampleUs)) {
            util.merge(p.pid(), p, (a, b) -> a.timestampUs() >= b.timestampUs() ? a : b);
            lastProcessSampleUs = Math.max(lastProcessSampleUs, p.timestampUs());
          }
        });
    List<DeviceSample.ProcessUse> out = new ArrayList<>(Math.min(procs.size(), maxProcesses));
    for (Nvml.Process p : procs) {
      if (out.size() == maxProcesses) {
        s.processesDropped++;
        continue;
      }
      Nvml.ProcessSample u = util.get(p.pid());
      out.add(
          new DeviceSample.ProcessUse(
              p.pid(),
              p.usedBytes(),
              u == null ? Double.NaN : u.sm() / 100.0,
              u == null ? Double.NaN : u.memory() / 100.0,
              cgroups.apply(p.pid())));
    }
    s.processes = List.copyOf(out);
  }

  private interface Call {
    void run();
  }

  private void read(DeviceSample s, Reading r, Call call) {
    if (off.contains(r) || Thread.currentThread().isInterrupted()) {
      return;
    }
    try {
      call.run();
      s.readingsOk++;
    } catch (NvmlException e) {
      if (e.code().lost()) {
        throw e;
      }
      if (e.code().unsupported()) {
        off.add(r);
        disabled.accept(r, e);
      } else {
        s.readingsFailed++;
        failed.accept(r, e);
      }
    }
  }
}
