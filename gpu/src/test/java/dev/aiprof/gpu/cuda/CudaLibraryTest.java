package dev.aiprof.gpu.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.bpf.cuda.CudaApi;
import dev.aiprof.bpf.phase.LibraryId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which maps lines name a CUDA library, and discovery over a fixture procfs. */
class CudaLibraryTest {
  @Test
  void driverAndRuntimeNamesAsSystemsAndWheelsShipThem() {
    assertThat(api("/usr/lib/x86_64-linux-gnu/libcuda.so.1")).contains(CudaApi.DRIVER);
    assertThat(api("/usr/lib/x86_64-linux-gnu/libcuda.so.580.95.05")).contains(CudaApi.DRIVER);
    assertThat(api("/usr/local/cuda-13.0/lib64/libcudart.so.13")).contains(CudaApi.RUNTIME);
    assertThat(api("/venv/lib/python3.12/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12"))
        .contains(CudaApi.RUNTIME);
    assertThat(api("/venv/site-packages/torch.libs/libcudart-9335f6a2.so.12.8.90"))
        .contains(CudaApi.RUNTIME);
    assertThat(api("/usr/lib/libcudadebugger.so.1")).isEmpty();
    assertThat(api("/usr/lib/libcudnn.so.9")).isEmpty();
    assertThat(api("/usr/local/cuda/lib64/libcudart_static.a")).isEmpty();
    assertThat(api("/opt/libcuda.so.1.bak")).isEmpty();
  }

  @Test
  void parsesTheFileIdentityAndSkipsDeletedFiles() {
    Optional<CudaLibrary> lib =
        CudaLibrary.parse("7f00-7f10 r-xp 00001000 fe:01 4242 /usr/lib/libcuda.so.1");
    assertThat(lib)
        .contains(
            new CudaLibrary(new LibraryId(0xfe, 1, 4242), "/usr/lib/libcuda.so.1", CudaApi.DRIVER));
    assertThat(
            CudaLibrary.parse("7f00-7f10 r-xp 00001000 fe:01 4242 /usr/lib/libcuda.so.1 (deleted)"))
        .isEmpty();
    assertThat(CudaLibrary.parse("7f00-7f10 rw-p 00000000 00:00 0 [anon:libcuda]")).isEmpty();
    assertThat(CudaLibrary.parse("garbage libcuda.so.1")).isEmpty();
  }

  @Test
  void groupsProcessesByLibraryFileThroughTheirRoots(@TempDir Path proc) throws Exception {
    maps(
        proc,
        "100",
        "1000-2000 r-xp 0 fe:01 42 /usr/lib/libcuda.so.1",
        "3000-4000 r-xp 0 fe:01 43 /usr/local/cuda/lib64/libcudart.so.13",
        "5000-6000 r-xp 0 fe:01 7 /usr/lib/libc.so.6");
    maps(proc, "200", "1000-2000 r-xp 0 fe:01 42 /usr/lib/libcuda.so.1");
    maps(proc, "300", "1000-2000 r-xp 0 00:2f 99 /app/torch.libs/libcudart-0a1b2c3d.so.12");
    maps(proc, "400", "5000-6000 r-xp 0 fe:01 7 /usr/lib/libc.so.6");
    Files.createDirectories(proc.resolve("500")); // no maps: exited during the pass
    CudaLibraryScan s = CudaLibraryScan.of(new HostPaths(proc, proc, proc));
    assertThat(s.byPid().keySet()).containsExactly(100, 200, 300);
    assertThat(s.libraries().get(new LibraryId(0xfe, 1, 42)).paths())
        .containsExactly(
            proc.resolve("100/root/usr/lib/libcuda.so.1"),
            proc.resolve("200/root/usr/lib/libcuda.so.1"));
    assertThat(s.libraries().get(new LibraryId(0, 0x2f, 99)).library().api())
        .isEqualTo(CudaApi.RUNTIME);
    assertThat(s.libraries()).hasSize(3);
    assertThat(s.byPid().get(100)).hasSize(2);
  }

  @Test
  void knownProcessesAreReReadOnlyAfterTheIntervalAndTheCacheIsBounded(@TempDir Path proc)
      throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    CudaLibraryScan.Cache cache = new CudaLibraryScan.Cache(30, now::get, 1);
    HostPaths paths = new HostPaths(proc, proc, proc);
    maps(proc, "100", "5000-6000 r-xp 0 fe:01 7 /usr/lib/libc.so.6");
    assertThat(CudaLibraryScan.of(paths, cache).byPid()).isEmpty();
    maps(proc, "100", "1000-2000 r-xp 0 fe:01 42 /usr/lib/libcuda.so.1"); // dlopen later
    maps(proc, "200", "1000-2000 r-xp 0 fe:01 42 /usr/lib/libcuda.so.1");
    now.set(10);
    assertThat(CudaLibraryScan.of(paths, cache).byPid().keySet())
        .as("100 is cached, 200 is new (read every pass: the cache is full)")
        .containsExactly(200);
    now.set(31);
    assertThat(CudaLibraryScan.of(paths, cache).byPid().keySet()).containsExactly(100, 200);
  }

  private static Optional<CudaApi> api(String path) {
    return CudaLibrary.apiOf(path);
  }

  private static void maps(Path proc, String pid, String... lines) throws Exception {
    Files.createDirectories(proc.resolve(pid));
    Files.write(proc.resolve(pid).resolve("maps"), java.util.List.of(lines));
  }
}
