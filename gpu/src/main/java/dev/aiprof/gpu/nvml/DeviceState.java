package dev.aiprof.gpu.nvml;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device's state in the collector: its sampler, latest sample, ring of recent samples, whether
 * it is lost (and why), and its counts. Written by the sampler thread (and the XID thread, for a
 * lost device), read by the metric reader and the correlation engine. Thread-safe.
 */
final class DeviceState {
  final GpuDevice device;
  final DeviceSampler sampler;
  final SampleRing ring;
  final AtomicLong samples = new AtomicLong();
  final AtomicLong processesDropped = new AtomicLong();
  private final Map<Reading, Long> errors = new EnumMap<>(Reading.class);
  private volatile DeviceSample latest;
  private volatile String lost;

  DeviceState(DeviceSampler sampler, int ringCapacity) {
    this.device = sampler.device();
    this.sampler = sampler;
    this.ring = new SampleRing(ringCapacity);
  }

  DeviceSample latest() {
    return latest;
  }

  /** Why the device is lost (GPU_IS_LOST, XID 79), or null while it is not. */
  String lost() {
    return lost;
  }

  void markLost(String why) {
    if (lost == null) {
      lost = why;
    }
  }

  void publish(DeviceSample s) {
    latest = s;
    samples.incrementAndGet();
    processesDropped.addAndGet(s.processesDropped);
    int[] pids = new int[s.processes.size()];
    for (int i = 0; i < pids.length; i++) {
      pids[i] = s.processes.get(i).pid();
    }
    ring.add(s.monoNs, s.gpuUtil, pids);
  }

  synchronized void failed(Reading r) {
    errors.merge(r, 1L, Long::sum);
  }

  synchronized Map<Reading, Long> errors() {
    return errors.isEmpty() ? Map.of() : new EnumMap<>(errors);
  }
}
