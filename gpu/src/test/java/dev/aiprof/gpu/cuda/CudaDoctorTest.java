package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's CUDA lines over fixture trees and real ELF files (no privileges). */
class CudaDoctorTest {
  @Test
  void listsTheCudaLibrariesOfEachProcessWithItsName(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("42"));
    Files.writeString(proc.resolve("42/comm"), "python3\n");
    Files.write(
        proc.resolve("42/maps"),
        List.of(
            "1000-2000 r-xp 0 fe:01 5 /usr/lib/x86_64-linux-gnu/libcuda.so.1",
            "3000-4000 r-xp 0 fe:01 6 /venv/nvidia/cuda_runtime/lib/libcudart.so.12"));
    HostPaths paths = new HostPaths(proc, proc, proc);
    assertThat(CudaDoctor.processes(CudaLibraryScan.of(paths), paths))
        .containsExactly(
            new CudaDoctor.Line(
                "cuda pid 42",
                true,
                "python3: /usr/lib/x86_64-linux-gnu/libcuda.so.1 (driver),"
                    + " /venv/nvidia/cuda_runtime/lib/libcudart.so.12 (runtime)"));
  }

  @Test
  void saysSoWhenNoProcessUsesCuda(@TempDir Path proc) throws Exception {
    HostPaths paths = new HostPaths(proc, proc, proc);
    assertThat(CudaDoctor.processes(CudaLibraryScan.of(paths), paths))
        .singleElement()
        .satisfies(l -> assertThat(l.ok()).isFalse());
  }

  @Test
  @Requires(tools = "gcc")
  void countsTheProbedFunctionsADriverExports(@TempDir Path tmp) {
    CudaDoctor.Line none = CudaDoctor.driver(List.of(tmp.resolve("libcuda.so.1")));
    assertThat(none.ok()).isFalse();
    assertThat(none.detail()).contains("no NVIDIA driver");
    CudaDoctor.Line fake = CudaDoctor.driver(List.of(tmp.resolve("x"), CudaFixtures.fakeDriver()));
    assertThat(fake.ok()).isTrue();
    assertThat(fake.detail()).endsWith("exports 16 of 28 probed functions");
  }
}
