package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.pipeline.CollectorStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The collector in the real pipeline over an in-memory NVML. */
class NvmlCollectorTest {
  private static final Map<String, String> FAST = Map.of("nvml.interval", "100ms");

  private static void until(String what, BooleanSupplier ok) {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void reportsEveryDeviceWithTheHardwareConventions() {
    InMemoryNvml nvml = new InMemoryNvml(2);
    nvml.gpus.get(1).util = 37;
    nvml.gpus.get(1).memUsed = 20L << 30;
    nvml.gpus.get(1).reasons = 0x4;
    nvml.gpus.get(1).processes = List.of(new Nvml.Process(4242, 3L << 30, -1, -1));
    nvml.gpus.get(1).samples = List.of(new Nvml.ProcessSample(4242, 10, 33, 12, 0, 0));
    try (CollectorRun run = new CollectorRun(s -> nvml, FAST)) {
      assertThat(run.status().state()).isEqualTo(CollectorStatus.State.RUNNING);
      until(
          "a sample",
          () -> run.collect().value("hw.gpu.utilization", GpuDevice.HW_ID, "GPU-1").isPresent());
      Recorded r = run.collect();
      assertThat(
              r.value("hw.gpu.utilization", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.TASK, "general"))
          .contains(0.37);
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_ID, "GPU-0")).contains(0.0);
      assertThat(r.value("hw.gpu.memory.usage", GpuDevice.HW_ID, "GPU-1"))
          .contains((double) (20L << 30));
      assertThat(r.value("hw.gpu.memory.limit", GpuDevice.HW_ID, "GPU-1"))
          .contains((double) (80L << 30));
      assertThat(r.value("hw.gpu.memory.utilization", GpuDevice.HW_ID, "GPU-1")).contains(0.25);
      assertThat(r.value("hw.power", GpuDevice.HW_ID, "GPU-1")).contains(100.0);
      assertThat(r.value("hw.energy", GpuDevice.HW_ID, "GPU-1")).contains(1000.0);
      assertThat(r.value("hw.temperature", GpuDevice.HW_ID, "GPU-1")).contains(40.0);
      assertThat(r.value("aiprof.gpu.clock", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.CLOCK, "sm"))
          .contains(1980.0);
      assertThat(
              r.value(
                  "aiprof.gpu.clock_event",
                  GpuDevice.HW_ID,
                  "GPU-1",
                  NvmlMetrics.REASON,
                  "sw_power_cap"))
          .contains(1.0);
      assertThat(
              r.value(
                  "aiprof.gpu.clock_event",
                  GpuDevice.HW_ID,
                  "GPU-1",
                  NvmlMetrics.REASON,
                  "gpu_idle"))
          .contains(0.0);
      assertThat(r.value("hw.status", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.STATE, "ok"))
          .contains(1.0);
      Recorded.Series proc = r.of("aiprof.gpu.process.memory.usage").get(0);
      assertThat(proc.get(Identity.PID)).isEqualTo(4242L);
      assertThat(proc.get(GpuDevice.HW_ID)).isEqualTo("GPU-1");
      assertThat(proc.value()).isEqualTo(3L << 30);
      assertThat(
              r.value(
                  "aiprof.gpu.process.utilization", Identity.PID, 4242L, NvmlMetrics.ENGINE, "sm"))
          .contains(0.33);
      assertThat(r.of("hw.gpu.utilization").get(0).attributes().asMap())
          .containsKeys(
              GpuDevice.HW_ID,
              GpuDevice.HW_NAME,
              GpuDevice.HW_MODEL,
              GpuDevice.HW_VENDOR,
              GpuDevice.HW_TYPE);
      assertThat(r.of("hw.gpu.utilization").get(0).get(GpuDevice.HW_TYPE)).isEqualTo("gpu");
      assertThat(r.of("hw.gpu.io")).as("NVLink not supported here").isEmpty();
      assertThat(
              r.value(
                  "aiprof.gpu.reading.off",
                  GpuDevice.HW_ID,
                  "GPU-0",
                  NvmlMetrics.READING,
                  "nvlink"))
          .contains(1.0);
    }
    assertThat(nvml.closed).as("nvmlShutdown at close").isTrue();
  }

  @Test
  void samplesPastTheRingAreCountedAsEvicted() {
    InMemoryNvml nvml = new InMemoryNvml(1);
    try (CollectorRun run =
        new CollectorRun(s -> nvml, Map.of("nvml.interval", "100ms", "nvml.ring", "8"))) {
      until(
          "more samples than the ring holds",
          () ->
              run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-0").orElse(0.0)
                  >= 10);
      Recorded r = run.collect();
      double samples = r.value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-0").orElseThrow();
      double evicted =
          r.value("aiprof.gpu.samples.evicted", GpuDevice.HW_ID, "GPU-0").orElseThrow();
      assertThat(evicted).isPositive().isBetween(samples - 8 - 1, samples - 8 + 1);
    }
  }

  @Test
  void aLostDeviceIsRecordedAndTheOthersGoOn() {
    InMemoryNvml nvml = new InMemoryNvml(3);
    try (CollectorRun run = new CollectorRun(s -> nvml, FAST)) {
      until(
          "samples",
          () ->
              run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-1").orElse(0.0) >= 1);
      nvml.gpus.get(1).lost = true;
      until(
          "the lost state",
          () ->
              run.collect()
                  .value("hw.status", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.STATE, "failed")
                  .isPresent());
      double before =
          run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-2").orElseThrow();
      until(
          "the others sampled",
          () ->
              run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-2").orElseThrow()
                  > before + 2);
      Recorded r = run.collect();
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_ID, "GPU-1"))
          .as("no stale values")
          .isEmpty();
      assertThat(r.value("hw.status", GpuDevice.HW_ID, "GPU-0", NvmlMetrics.STATE, "ok"))
          .contains(1.0);
      assertThat(run.status().state()).isEqualTo(CollectorStatus.State.RUNNING);
    }
  }

  @Test
  void closeIsBoundedWhileACallIsStuckAndShutsNvmlDownWhenItReturns() throws Exception {
    InMemoryNvml nvml = new InMemoryNvml(2);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    CollectorRun run = new CollectorRun(s -> nvml, FAST);
    until(
        "samples",
        () -> run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-1").orElse(0.0) >= 1);
    nvml.gpus.get(1).stuck = release;
    until(
        "GPU-1 skipped",
        () ->
            run.collect().value("aiprof.gpu.samples.skipped", GpuDevice.HW_ID, "GPU-1").orElse(0.0)
                >= 1);
    long t0 = System.nanoTime();
    run.close();
    long closeMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(closeMs).as("close waits 2 s at most for a stuck call").isLessThan(5_000);
    assertThat(nvml.closed).as("no nvmlShutdown under a running call").isFalse();
    int calls = nvml.utilizationCalls;
    release.countDown();
    until("nvmlShutdown once the call returned", () -> nvml.closed);
    assertThat(nvml.utilizationCalls).as("no call after close").isEqualTo(calls);
  }

  @Test
  void countsEveryXidByCodeAndDeviceAndXid79LosesTheDevice() {
    InMemoryNvml nvml = new InMemoryNvml(2);
    try (CollectorRun run = new CollectorRun(s -> nvml, FAST)) {
      nvml.xid(0, 48);
      nvml.xid(0, 48);
      nvml.xid(1, 79);
      until(
          "three XIDs",
          () ->
              run.collect().of("aiprof.gpu.xid").stream().mapToDouble(Recorded.Series::value).sum()
                  == 3);
      Recorded r = run.collect();
      assertThat(r.value("aiprof.gpu.xid", GpuDevice.HW_ID, "GPU-0", NvmlMetrics.XID_CODE, 48L))
          .contains(2.0);
      assertThat(r.value("aiprof.gpu.xid", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.XID_CODE, 79L))
          .contains(1.0);
      assertThat(r.value("hw.errors", GpuDevice.HW_ID, "GPU-0", NvmlMetrics.ERROR_TYPE, "xid"))
          .contains(2.0);
      assertThat(r.value("hw.status", GpuDevice.HW_ID, "GPU-1", NvmlMetrics.STATE, "failed"))
          .contains(1.0);
      assertThat(r.value("hw.status", GpuDevice.HW_ID, "GPU-0", NvmlMetrics.STATE, "ok"))
          .contains(1.0);
    }
  }

  @Test
  void migDevicesAreDevicesOfTheirOwn() {
    InMemoryNvml nvml = new InMemoryNvml(1);
    InMemoryNvml.Gpu mig = nvml.addMig(0, 3);
    mig.memUsed = 1L << 30;
    mig.processes = List.of(new Nvml.Process(99, 1L << 30, 3, 0));
    try (CollectorRun run = new CollectorRun(s -> nvml, FAST)) {
      until(
          "the MIG device",
          () -> run.collect().value("hw.gpu.memory.usage", GpuDevice.HW_ID, "MIG-0-3").isPresent());
      Recorded r = run.collect();
      Recorded.Series m =
          r.of("hw.gpu.memory.usage").stream()
              .filter(s -> s.get(GpuDevice.HW_ID).equals("MIG-0-3"))
              .findFirst()
              .orElseThrow();
      assertThat(m.get(GpuDevice.HW_PARENT)).isEqualTo("GPU-0");
      assertThat(m.get(GpuDevice.HW_NAME)).isEqualTo("gpu0/mig3.0");
      assertThat(m.get(GpuDevice.GI)).isEqualTo(3L);
      assertThat(m.value()).isEqualTo(1L << 30);
      assertThat(r.value("hw.gpu.memory.limit", GpuDevice.HW_ID, "MIG-0-3"))
          .contains((double) (10L << 30));
      assertThat(
              r.value(
                  "aiprof.gpu.process.memory.usage", GpuDevice.HW_ID, "MIG-0-3", Identity.PID, 99L))
          .contains((double) (1L << 30));
      assertThat(r.value("hw.gpu.utilization", GpuDevice.HW_ID, "MIG-0-3"))
          .as("NVML has none per MIG device")
          .isEmpty();
    }
  }

  @Test
  void anUnsupportedReadingIsSwitchedOffForThatDeviceOnly() {
    InMemoryNvml nvml = new InMemoryNvml(2);
    nvml.gpus.get(0).noProcessUtilization = true;
    nvml.gpus.get(0).processes = List.of(new Nvml.Process(5, 1L << 20, -1, -1));
    try (CollectorRun run = new CollectorRun(s -> nvml, FAST)) {
      until(
          "samples",
          () ->
              run.collect().value("aiprof.gpu.samples", GpuDevice.HW_ID, "GPU-0").orElse(0.0) >= 2);
      Recorded r = run.collect();
      assertThat(
              r.value(
                  "aiprof.gpu.reading.off",
                  GpuDevice.HW_ID,
                  "GPU-0",
                  NvmlMetrics.READING,
                  "process_utilization"))
          .contains(1.0);
      assertThat(
              r.value(
                  "aiprof.gpu.reading.off",
                  GpuDevice.HW_ID,
                  "GPU-1",
                  NvmlMetrics.READING,
                  "process_utilization"))
          .isEmpty();
      assertThat(r.value("aiprof.gpu.process.memory.usage", Identity.PID, 5L))
          .contains((double) (1L << 20));
      assertThat(r.value("aiprof.gpu.process.utilization", Identity.PID, 5L)).isEmpty();
    }
  }

  @Test
  void withoutNvmlTheCollectorIsOffWithOneLine() {
    CollectorRun run =
        new CollectorRun(
            s -> {
              throw new NvmlException(
                  "dlopen", NvmlReturn.ERROR_LIBRARY_NOT_FOUND, "cannot load libnvidia-ml.so.1");
            },
            Map.of());
    try (run) {
      CollectorStatus s = run.status();
      assertThat(s.state()).isEqualTo(CollectorStatus.State.FAILED);
      assertThat(s.describe())
          .isEqualTo(
              "nvml (off: no NVIDIA driver: libnvidia-ml.so.1 not found, GPU metrics off (install"
                  + " the driver, or name the library with --nvml-library PATH))");
    }
  }

  @Test
  void aFileThatIsNoLibraryIsOffWithTheLoadersWord(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path notALibrary =
        java.nio.file.Files.writeString(tmp.resolve("libnvidia-ml.so.1"), "text");
    try (CollectorRun run =
        new CollectorRun(NvmlProvider::open, Map.of("nvml.library", notALibrary.toString()))) {
      assertThat(run.status().describe())
          .startsWith("nvml (off: dlopen: cannot load " + notALibrary)
          .endsWith(": GPU metrics off (name the driver's libnvidia-ml.so.1 with --nvml-library))")
          .doesNotContain("\n");
    }
  }

  @Test
  void aMissingLibraryFileIsABadSetting() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new CollectorRun(
                    NvmlProvider::open, Map.of("nvml.library", "/nonexistent/libnvidia-ml.so.1")))
        .hasMessage(
            "invalid nvml.library '/nonexistent/libnvidia-ml.so.1': no such file (name the driver's"
                + " libnvidia-ml.so.1, e.g. /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1, or leave it out)");
  }
}
