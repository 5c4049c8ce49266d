package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU phase signal over samples put into the devices' rings by hand. */
class NvmlSignalTest {
  private static final long S = 1_000_000_000L;
  private final XidLog xids = new XidLog();
  private final DeviceState gpu0 = state(0);
  private final DeviceState gpu1 = state(1);
  private final NvmlSignal signal =
      new NvmlSignal(List.of(gpu0, gpu1), xids, Duration.ofSeconds(1));

  private static DeviceState state(int i) {
    GpuDevice d = new GpuDevice(i, new Nvml.Device(i + 1), "GPU-" + i, "H100", "", null, -1, -1);
    return new DeviceState(
        new DeviceSampler(null, d, 16, (r, e) -> {}, (r, e) -> {}, pid -> null), 64);
  }

  private static Phase phase(String name, int pid, long start, long end) {
    return new Phase(name, PhaseOrigin.MARKER, pid, pid, start, end, 0, null, null);
  }

  /** pid 42 on gpu1 from 10 s to 20 s; gpu1 at 90 % from 13 s to 16 s, idle otherwise. */
  private void samples(int upTo) {
    for (int t = 10; t <= upTo; t++) {
      gpu0.ring.add(t * S, 0.5, new int[] {7});
      gpu1.ring.add(t * S, t > 13 && t <= 16 ? 0.9 : 0.0, new int[] {42});
    }
  }

  @Test
  void aPhaseGetsTheUtilisationOfTheDevicesItsProcessUsed() {
    samples(20);
    Phase busy = phase("train", 42, 13 * S, 16 * S);
    Phase idle = phase("load", 42, 17 * S, 19 * S);
    assertThat(signal.relevant(busy)).isTrue();
    assertThat(signal.relevant(phase("cpu-only", 5, 13 * S, 16 * S))).isFalse();

    PhaseDescription d = new PhaseDescription();
    signal.describe(busy, d);
    assertThat(d.values()).containsEntry(Category.GPU_BUSY, (long) (0.9 * 3 * S));
    assertThat(d.attributes().get(NvmlSignal.UTILIZATION))
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.attributes().get(NvmlSignal.DEVICES)).containsExactly("GPU-1");
    assertThat(d.attributes().get(NvmlSignal.SAMPLES)).isEqualTo(3);
    assertThat(d.attributes().get(NvmlSignal.INTERVAL)).isEqualTo(1.0);

    PhaseDescription other = new PhaseDescription();
    signal.describe(idle, other);
    assertThat(other.values()).containsEntry(Category.GPU_BUSY, 0L);
    assertThat(other.attributes().get(NvmlSignal.UTILIZATION)).isZero();
  }

  @Test
  void aPhaseShorterThanTheIntervalGetsThePeriodAroundIt() {
    samples(20);
    PhaseDescription d = new PhaseDescription();
    signal.describe(phase("step", 42, 14 * S + S / 4, 14 * S + S / 2), d);
    assertThat(d.attributes().get(NvmlSignal.UTILIZATION))
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(d.attributes().get(NvmlSignal.SAMPLES)).isEqualTo(1);
    assertThat(d.values()).containsEntry(Category.GPU_BUSY, (long) (0.9 * S / 4));
  }

  @Test
  void readyOnceASampleAtOrAfterTheEndExists() {
    samples(15);
    Phase p = phase("train", 42, 13 * S, 16 * S);
    assertThat(signal.ready(p)).isFalse();
    gpu1.ring.add(16 * S, 0.9, new int[] {42});
    assertThat(signal.ready(p)).isTrue();
    assertThat(signal.patience()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anXidOnTheDeviceBecomesASpanEventOfThePhasesRunningThere() {
    samples(20);
    xids.record(new XidLog.Xid(15 * S, gpu1.device, 79));
    xids.record(new XidLog.Xid(15 * S, gpu0.device, 48));
    PhaseDescription d = new PhaseDescription();
    signal.describe(phase("train", 42, 13 * S, 16 * S), d);
    assertThat(d.events()).hasSize(1);
    PhaseDescription.Event e = d.events().get(0);
    assertThat(e.name()).isEqualTo("aiprof.gpu.xid");
    assertThat(e.monoNs()).isEqualTo(15 * S);
    assertThat(e.attributes().get(NvmlMetrics.XID_CODE)).isEqualTo(79L);
    assertThat(e.attributes().get(GpuDevice.HW_ID)).isEqualTo("GPU-1");

    PhaseDescription later = new PhaseDescription();
    signal.describe(phase("load", 42, 17 * S, 19 * S), later);
    assertThat(later.events()).isEmpty();
  }
}
