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
 * on another, delivered by NVML's event wait on the collector's own thread; an older driver, whose
 * missing functions switch off only their readings; a GPU whose calls hang (skipped, degraded, the
 * others on time); and one whose every call times out (degraded).
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

  private static double samples(CollectorRun run, String metric, int gpu) {
    return run.collect().value(metric, GpuDevice.HW_NAME, "gpu" + gpu).orElse(0.0);
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

  @Test
  void aStuckGpuIsSkippedAndDegradedWhileTheOthersKeepTheirInterval() throws Exception {
    // from its third round on, every call on GPU 6 takes 1.5 s: one sample of it ~15 s
    Path script = FakeLibrary.script(tmp, "util 0 30\nslow 6 2 1500\n");
    try (CollectorRun run = new CollectorRun(s -> FakeLibrary.open("dgxh100", script), FAST)) {
      until("gpu6 skipped", () -> samples(run, "aiprof.gpu.samples.skipped", 6) >= 1);
      assertThat(state(run, 6, "degraded")).as("a late device is degraded").isTrue();
      double gpu0 = samples(run, "aiprof.gpu.samples", 0);
      double gpu6 = samples(run, "aiprof.gpu.samples", 6);
      double skips = samples(run, "aiprof.gpu.samples.skipped", 6);
      long t0 = System.nanoTime();
      // one thread calling every device in turn took ~15 s a round: 1 sample of gpu0 in 10 s
      until("10 samples of gpu0", () -> samples(run, "aiprof.gpu.samples", 0) >= gpu0 + 10);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      Recorded r = run.collect();
      double skipped = r.value("aiprof.gpu.samples.skipped", GpuDevice.HW_NAME, "gpu6").get();
      System.out.printf(
          "stuck gpu6: 10 samples of gpu0 in %d ms at 100 ms; gpu6 samples +%.0f, skips +%.0f%n",
          ms,
          r.value("aiprof.gpu.samples", GpuDevice.HW_NAME, "gpu6").get() - gpu6,
          skipped - skips);
      assertThat(r.value("aiprof.gpu.samples", GpuDevice.HW_NAME, "gpu6").get())
          .as("the stuck device's sample is still running")
          .isLessThanOrEqualTo(gpu6 + 1);
      assertThat(skipped).as("its rounds skipped, counted").isGreaterThanOrEqualTo(skips + 5);
      assertThat(state(run, 6, "degraded")).isTrue();
      assertThat(state(run, 0, "ok")).isTrue();
      assertThat(r.value("aiprof.gpu.samples.skipped", GpuDevice.HW_NAME, "gpu0")).contains(0.0);
    }
  }

  @Test
  void aGpuWhoseEveryCallTimesOutIsDegradedNotOk() throws Exception {
    Path script = FakeLibrary.script(tmp, "util 0 30\nfail 3 2 10\n");
    try (CollectorRun run = new CollectorRun(s -> FakeLibrary.open("dgxh100", script), FAST)) {
      until("gpu3 degraded", () -> state(run, 3, "degraded"));
      Recorded r = run.collect();
      assertThat(r.value("aiprof.gpu.reading.errors", GpuDevice.HW_NAME, "gpu3").orElse(0.0))
          .isGreaterThanOrEqualTo(DeviceState.FAILING_ROUNDS);
      assertThat(state(run, 3, "failed")).as("TIMEOUT is not a lost GPU").isFalse();
      assertThat(state(run, 0, "ok")).isTrue();
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_NAME, "gpu0")).contains(0.3);
    }
  }
}
