package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hw.state rule of one device: late, every reading failing, lost. */
class DeviceStateTest {
  private static final long INTERVAL = 100_000_000L;

  private static DeviceState device() {
    InMemoryNvml nvml = new InMemoryNvml(1);
    GpuDevice g = new GpuDevice(0, new Nvml.Device(1), "GPU-0", "Test GPU", "", null, -1, -1);
    return new DeviceState(
        new DeviceSampler(nvml, g, 8, (r, e) -> {}, (r, e) -> {}, pid -> null), 8);
  }

  private static DeviceSample sample(int ok, int failed) {
    DeviceSample s = new DeviceSample();
    s.readingsOk = ok;
    s.readingsFailed = failed;
    return s;
  }

  @Test
  void aSkippedRoundDegradesUntilASampleEndsWithinItsInterval() {
    DeviceState d = device();
    assertThat(d.begin()).isTrue();
    assertThat(d.state()).isEqualTo(HwState.OK);
    assertThat(d.begin()).as("still running: skipped").isFalse();
    assertThat(d.skipped.get()).isEqualTo(1);
    assertThat(d.state()).isEqualTo(HwState.DEGRADED);
    assertThat(d.current()).as("phases do not wait for it").isFalse();
    d.end(3 * INTERVAL, INTERVAL);
    assertThat(d.state()).as("that sample overran").isEqualTo(HwState.DEGRADED);
    assertThat(d.begin()).isTrue();
    d.end(INTERVAL / 10, INTERVAL);
    assertThat(d.state()).isEqualTo(HwState.OK);
    assertThat(d.current()).isTrue();
  }

  @Test
  void everyReadingFailingForSomeRoundsDegradesUntilOneSucceeds() {
    DeviceState d = device();
    for (int i = 1; i < DeviceState.FAILING_ROUNDS; i++) {
      d.publish(sample(0, 11));
      assertThat(d.state()).as("after %d failing rounds", i).isEqualTo(HwState.OK);
    }
    d.publish(sample(0, 11));
    assertThat(d.state()).isEqualTo(HwState.DEGRADED);
    d.publish(sample(0, 0));
    assertThat(d.state()).as("nothing tried: no evidence either way").isEqualTo(HwState.DEGRADED);
    d.publish(sample(1, 10));
    assertThat(d.state()).isEqualTo(HwState.OK);
    d.publish(sample(0, 11));
    assertThat(d.state()).as("the count starts over").isEqualTo(HwState.OK);
  }

  @Test
  void aLostDeviceIsFailedWhateverElse() {
    DeviceState d = device();
    d.begin();
    d.begin();
    d.markLost("GPU is lost");
    assertThat(d.state()).isEqualTo(HwState.FAILED);
    assertThat(d.describe()).isEqualTo("lost: GPU is lost");
  }
}
