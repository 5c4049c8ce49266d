package dev.aiprof.gpu.nvml;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device's state in the collector: its sampler, latest sample, ring of recent samples, whether
 * it is lost (and why), whether a sample of it is running, and its counts. Its sample is taken by
 * one pool thread at a time ({@link #begin}/{@link #end}); the XID thread may mark it lost; the
 * metric reader and the correlation engine read it. Thread-safe.
 *
 * <p>Its {@code hw.state} ({@link #state()}): {@code failed} once lost (GPU_IS_LOST, XID 79; for
 * good); else {@code degraded} while it is late, from a round that skipped it because its previous
 * sample was still running until a sample completes within one interval, or after {@value
 * #FAILING_ROUNDS} samples in a row in which every reading tried failed (TIMEOUT, UNKNOWN...),
 * until a sample in which one succeeds; else {@code ok}.
 */
final class DeviceState {
  /** Samples in a row with every reading failing before the device is degraded. */
  static final int FAILING_ROUNDS = 3;

  final GpuDevice device;
  final DeviceSampler sampler;
  final SampleRing ring;
  final AtomicLong samples = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong processesDropped = new AtomicLong();
  private final Map<Reading, Long> errors = new EnumMap<>(Reading.class);
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile DeviceSample latest;
  private volatile String lost;
  private volatile boolean late;
  private volatile int failingRounds;

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

  /**
   * Claims the device for one sample; false (the round's skip counted, the device late) while its
   * previous sample still runs.
   */
  boolean begin() {
    if (running.compareAndSet(false, true)) {
      return true;
    }
    skipped.incrementAndGet();
    late = true;
    return false;
  }

  /** Ends the sample {@link #begin} claimed, which took {@code tookNs} of an {@code intervalNs}. */
  void end(long tookNs, long intervalNs) {
    late = tookNs > intervalNs;
    running.set(false);
  }

  /** Whether phases wait for the device's samples: not lost, and not late. */
  boolean current() {
    return lost == null && !late;
  }

  /** Whether a sample of the device is running now. */
  boolean running() {
    return running.get();
  }

  void publish(DeviceSample s) {
    latest = s;
    samples.incrementAndGet();
    processesDropped.addAndGet(s.processesDropped);
    if (s.readingsOk > 0) {
      failingRounds = 0;
    } else if (s.readingsFailed > 0) {
      failedSample();
    }
    int[] pids = new int[s.processes.size()];
    for (int i = 0; i < pids.length; i++) {
      pids[i] = s.processes.get(i).pid();
    }
    ring.add(s.monoNs, s.gpuUtil, pids);
  }

  /** Counts a sample in which every reading failed (or that failed as a whole). */
  void failedSample() {
    failingRounds = Math.min(failingRounds + 1, FAILING_ROUNDS);
  }

  /** The device's {@code hw.state} by the rule in the class comment. */
  HwState state() {
    if (lost != null) {
      return HwState.FAILED;
    }
    return late || failingRounds >= FAILING_ROUNDS ? HwState.DEGRADED : HwState.OK;
  }

  /** The state in words for the report: ok, lost (why), late or failing readings. */
  String describe() {
    return switch (state()) {
      case FAILED -> "lost: " + lost;
      case DEGRADED -> late ? "degraded: sampling late" : "degraded: every reading failing";
      case OK -> "ok";
    };
  }

  synchronized void failed(Reading r) {
    errors.merge(r, 1L, Long::sum);
  }

  synchronized Map<Reading, Long> errors() {
    return errors.isEmpty() ? Map.of() : new EnumMap<>(errors);
  }
}
