package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.testing.FakeNvml;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector over the real binding and the fake C library: a GPU lost from a step and an XID 79
 * on another, delivered by NVML's event wait on the collector's own thread; and an older driver,
 * whose missing functions switch off only their readings.
 */
class CollectorOverFakeLibraryTest {
  private static final Map<String, String> FAST = Map.of("nvml.interval", "100ms");
  @TempDir Path tmp;

  private static void until(String what, BooleanSupplier ok) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(end);
      Thread.sleep(20);
    }
  }

  private static String uuid(int gpu) {
    return "GPU-5e1f000" + gpu;
  }

  private static boolean state(CollectorRun run, int gpu, String state) {
    return run.collect().of("hw.status").stream()
        .anyMatch(
            s ->
                s.get(GpuDevice.HW_ID).startsWith(uuid(gpu))
                    && state.equals(s.get(NvmlMetrics.STATE)));
  }

  @Test
  void aLostGpuAndAnXid79AreRecordedAndTheOthersGoOn() throws Exception {
    Path script = FakeLibrary.script(tmp, "util 1 40\nlost 5 3\nxid 2 79 4\nxid 1 48 2\n");
    try (CollectorRun run = new CollectorRun(s -> FakeLibrary.open("dgxh100", script), FAST)) {
      assertThat(run.status().state()).isEqualTo(CollectorStatus.State.RUNNING);
      until("gpu5 lost", () -> state(run, 5, "failed"));
      until("gpu2's XID 79", () -> state(run, 2, "failed"));
      until(
          "gpu1's XID 48",
          () ->
              !run.collect().of("aiprof.gpu.xid").isEmpty()
                  && run.collect().of("aiprof.gpu.xid").stream()
                      .anyMatch(x -> x.get(NvmlMetrics.XID_CODE) == 48L));
      Recorded r = run.collect();
      assertThat(r.of("aiprof.gpu.xid"))
          .extracting(
              x -> x.get(GpuDevice.HW_NAME) + ":" + x.get(NvmlMetrics.XID_CODE) + "=" + x.value())
          .containsExactlyInAnyOrder("gpu1:48=1.0", "gpu2:79=1.0");
      assertThat(state(run, 1, "ok")).isTrue();
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_NAME, "gpu1")).contains(0.4);
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_NAME, "gpu5")).isEmpty();
      assertThat(r.value("aiprof.gpu.events.off")).contains(0.0);
    }
  }

  @Test
  void anOlderDriverSwitchesOffOnlyWhatItLacks() throws Exception {
    Path script = FakeLibrary.script(tmp, "util 0 30\nproc 0 77 512 5 5\n");
    try (CollectorRun run =
        new CollectorRun(s -> FakeLibrary.open(FakeNvml.old(), "dgxh100", script), FAST)) {
      until(
          "samples",
          () ->
              run.collect().value("aiprof.gpu.samples", GpuDevice.HW_NAME, "gpu0").orElse(0.0)
                  >= 2);
      until("events off", () -> run.collect().value("aiprof.gpu.events.off").orElse(0.0) == 1.0);
      Recorded r = run.collect();
      assertThat(
              r.value(
                  "aiprof.gpu.reading.off",
                  GpuDevice.HW_NAME,
                  "gpu0",
                  NvmlMetrics.READING,
                  "processes"))
          .contains(1.0);
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_NAME, "gpu0")).contains(0.3);
      assertThat(r.value("hw.gpu.memory.usage", GpuDevice.HW_NAME, "gpu0"))
          .as("v1 memory")
          .isPresent();
      assertThat(
              r.value(
                  "aiprof.gpu.clock_event",
                  GpuDevice.HW_NAME,
                  "gpu0",
                  NvmlMetrics.REASON,
                  "gpu_idle"))
          .as("the older throttle-reasons function")
          .contains(0.0);
    }
  }
}
