package dev.aiprof.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.FakeNvml;
import dev.aiprof.testing.Libc;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The doctor's GPU lines, through the fake libnvidia-ml.so.1 (the real binding). */
class GpuChecksTest {
  @Test
  void listsEveryGpuAndMigDevice() {
    Libc.setenv(FakeNvml.SYSTEM_ENV, "a100-mig");
    Libc.setenv(FakeNvml.SCRIPT_ENV, null);
    List<Check> checks = GpuChecks.of(Optional.of(FakeNvml.current().resolve("libnvidia-ml.so.1")));
    assertThat(checks)
        .extracting(Check::item)
        .containsExactly("nvml", "  gpu0", "  gpu0/mig1.0", "  gpu0/mig5.0");
    assertThat(checks).allMatch(c -> c.status() == Check.Status.OK);
    assertThat(checks.get(0).detail()).isEqualTo("driver 575.57.08, NVML 12.575.57.08, 1 GPUs");
    assertThat(checks.get(1).detail())
        .matches("NVIDIA A100-SXM4-40GB, GPU-[0-9a-f-]{36}, 40\\.0 GiB, 00000000:07:00\\.0");
    assertThat(checks.get(3).detail())
        .startsWith("NVIDIA A100-SXM4-40GB MIG 2g.10gb, MIG-")
        .contains("9.6 GiB");
  }

  @Test
  void saysWhyThereIsNoGpu() {
    List<Check> checks = GpuChecks.of(Optional.of(Path.of("/nonexistent/libnvidia-ml.so.1")));
    assertThat(checks).hasSize(1);
    assertThat(checks.get(0).status()).isEqualTo(Check.Status.MISSING);
    assertThat(checks.get(0).detail())
        .startsWith("dlopen: cannot load /nonexistent/libnvidia-ml.so.1 (")
        .endsWith(
            "(NVML_ERROR_LIBRARY_NOT_FOUND): GPU metrics off (name the driver's libnvidia-ml.so.1"
                + " with --nvml-library)");
  }

  @Test
  void aHostWithoutADriverLoadedSaysSo() {
    Libc.setenv(FakeNvml.SYSTEM_ENV, "nodriver");
    List<Check> checks = GpuChecks.of(Optional.of(FakeNvml.current().resolve("libnvidia-ml.so.1")));
    assertThat(checks.get(0).detail())
        .startsWith("the NVIDIA driver is not loaded (nvmlInit_v2: Driver Not Loaded");
    Libc.setenv(FakeNvml.SYSTEM_ENV, null);
  }
}
