package dev.aiprof.gpu.nvml;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU phase signal: for a phase of a process that ran on a GPU (NVML listed its pid during the
 * phase), the utilisation of each device it used over the phase's interval, from the samples. As
 * coarse as the sampling: each sample's utilisation covers the period since the one before ({@code
 * nvml.interval}), so a phase shorter than that gets the utilisation of the period around it,
 * weighted by overlap; the attributes say from how many samples at which interval. Adds: GPU_BUSY
 * time (utilisation × overlap, summed over the devices), {@code aiprof.gpu.*} span attributes, and
 * a span event per XID on such a device during the phase.
 *
 * <p>Ready once every device the process used has a sample at or after the phase's end (a lost or
 * late device, {@link DeviceState#current()}, is not waited for); patience two intervals past that
 * (and at least two seconds). Thread-safe: reads only what the sampler published.
 */
final class NvmlSignal implements PhaseSignal {
  static final AttributeKey<Double> UTILIZATION = AttributeKey.doubleKey("aiprof.gpu.utilization");
  static final AttributeKey<List<String>> DEVICES =
      AttributeKey.stringArrayKey("aiprof.gpu.devices");
  static final AttributeKey<Long> SAMPLES = AttributeKey.longKey("aiprof.gpu.samples");
  static final AttributeKey<Double> INTERVAL =
      AttributeKey.doubleKey("aiprof.gpu.sample_interval_s");
  static final AttributeKey<Long> XIDS = AttributeKey.longKey("aiprof.gpu.xids");
  static final String XID_EVENT = "aiprof.gpu.xid";

  private final List<DeviceState> devices;
  private final XidLog xids;
  private final Duration interval;

  NvmlSignal(List<DeviceState> devices, XidLog xids, Duration interval) {
    this.devices = devices;
    this.xids = xids;
    this.interval = interval;
  }

  @Override
  public String name() {
    return NvmlProvider.NAME;
  }

  @Override
  public boolean relevant(Phase phase) {
    return !used(phase).isEmpty();
  }

  @Override
  public boolean ready(Phase phase) {
    if (allSampledPast(phase.endNs())) {
      return true; // the common case, without looking at which devices the process used
    }
    for (DeviceState d : used(phase)) {
      if (d.current() && d.ring.latest() < phase.endNs()) {
        return false;
      }
    }
    return true;
  }

  private boolean allSampledPast(long endNs) {
    for (DeviceState d : devices) {
      if (d.current() && d.ring.latest() < endNs) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Duration patience() {
    Duration two = interval.multipliedBy(2);
    return two.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : two;
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    List<DeviceState> used = used(phase);
    double util = 0;
    int measured = 0;
    long busyNs = 0;
    int samples = 0;
    List<String> ids = new ArrayList<>();
    for (DeviceState d : used) {
      ids.add(d.device.uuid());
      SampleRing.Busy b = d.ring.busy(phase.startNs(), phase.endNs());
      samples += b.samples();
      if (b.coveredNs() > 0) {
        // the covered part stands for the whole phase
        util += b.meanUtilization();
        measured++;
        busyNs += (long) (b.meanUtilization() * phase.durationNs());
      }
      for (XidLog.Xid x : xids.between(physical(d).uuid(), phase.startNs(), phase.endNs())) {
        out.event(
            XID_EVENT,
            x.monoNs(),
            Attributes.builder()
                .put(NvmlMetrics.XID_CODE, x.code())
                .put(GpuDevice.HW_ID, x.device().uuid())
                .put(GpuDevice.HW_NAME, x.device().label())
                .build());
      }
    }
    out.attribute(DEVICES, ids)
        .attribute(SAMPLES, (long) samples)
        .attribute(INTERVAL, interval.toNanos() / 1e9);
    if (measured > 0) {
      out.attribute(UTILIZATION, util / measured).time(Category.GPU_BUSY, busyNs);
    }
  }

  private GpuDevice physical(DeviceState d) {
    if (!d.device.mig()) {
      return d.device;
    }
    return devices.stream()
        .map(s -> s.device)
        .filter(g -> g.uuid().equals(d.device.parent()))
        .findFirst()
        .orElse(d.device);
  }

  /** The devices whose samples list the phase's process during (or around) the phase. */
  private List<DeviceState> used(Phase phase) {
    long slack = interval.toNanos();
    List<DeviceState> out = new ArrayList<>();
    for (DeviceState d : devices) {
      if (d.ring.ran(phase.pid(), phase.startNs() - slack, phase.endNs() + slack)) {
        out.add(d);
      }
    }
    return out;
  }
}
