package dev.aiprof.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the CUDA fixtures of {@code test-fixtures/src/main/c/cuda} with gcc at test time: the fake
 * driver {@code libcuda.so.1} (our own declarations, the real C ABI, syncs that really wait), a
 * program that calls it on several threads, and a program linked against the real CUDA runtime
 * {@code /usr/local/cuda-13.0/lib64/libcudart.so.13}. Outputs go to {@code
 * test-fixtures/target/cuda-c} (or {@code $AIPROF_BUILD_DIR/cuda-c}). Thread-safe (serialized).
 */
public final class CudaFixtures {
  /** The CUDA toolkit the runtime fixture links against. */
  public static final Path CUDA_HOME = Path.of("/usr/local/cuda-13.0");

  /** The runtime library the runtime fixture maps. */
  public static final Path CUDART = CUDA_HOME.resolve("lib64/libcudart.so.13");

  private CudaFixtures() {}

  /** The repository root: the first parent of the working directory with test-fixtures/. */
  public static Path root() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("test-fixtures/src/main/c/cuda"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("no repository root above " + System.getProperty("user.dir"));
    }
    return p;
  }

  static Path sources() {
    return root().resolve("test-fixtures/src/main/c/cuda");
  }

  /** Where the fixtures are built. */
  public static Path out() {
    String build = System.getenv("AIPROF_BUILD_DIR");
    Path dir = build != null ? Path.of(build) : root().resolve("test-fixtures/target");
    try {
      return Files.createDirectories(dir.resolve("cuda-c"));
    } catch (IOException e) {
      throw new AssertionError("cannot create " + dir.resolve("cuda-c"), e);
    }
  }

  /** The fake {@code libcuda.so.1}, built if missing. */
  public static synchronized Path fakeDriver() {
    Path lib = out().resolve("libcuda.so.1");
    gcc(
        lib,
        "-O2",
        "-fPIC",
        "-shared",
        "-Wl,-soname,libcuda.so.1",
        "-o",
        lib.toString(),
        sources().resolve("fake_libcuda.c").toString());
    return lib;
  }

  /** {@code cuda_driver_calls THREADS}: the driver API script, linked to the fake driver. */
  public static synchronized Path driverProgram() {
    Path lib = fakeDriver();
    return program("cuda_driver_calls", "-L" + lib.getParent(), "-l:libcuda.so.1", rpath(lib));
  }

  /** {@code cudart_calls THREADS}: the runtime API script, linked to the real libcudart.so.13. */
  public static synchronized Path runtimeProgram() {
    return program(
        "cudart_calls",
        "-I" + CUDA_HOME.resolve("include"),
        "-L" + CUDART.getParent(),
        "-lcudart",
        "-Wl,-rpath," + CUDART.getParent());
  }

  /**
   * The fake runtime layered on the fake driver, under a pip wheel's hashed name ({@code
   * libcudart-<hash>.so.13}), as auditwheel renames bundled libraries.
   */
  public static synchronized Path fakeRuntime() {
    Path driver = fakeDriver();
    Path lib = out().resolve("libcudart-a1b2c3d4.so.13");
    gcc(
        lib,
        "-O2",
        "-fPIC",
        "-shared",
        "-Wl,-soname,libcudart-a1b2c3d4.so.13",
        "-I" + sources(),
        "-o",
        lib.toString(),
        sources().resolve("fake_libcudart.c").toString(),
        "-L" + driver.getParent(),
        "-l:libcuda.so.1",
        rpath(driver));
    return lib;
  }

  /** {@code cudart_over_driver THREADS}: the fake runtime over the fake driver, and the driver. */
  public static synchronized Path layeredProgram() {
    Path rt = fakeRuntime();
    return program(
        "cudart_over_driver",
        "-L" + rt.getParent(),
        "-l:" + rt.getFileName(),
        "-l:libcuda.so.1",
        rpath(rt));
  }

  /**
   * {@code cuda_phases ROUNDS}: marker phases with and without CUDA calls, linked to {@code
   * libaiprof} (the marker module's build of it, {@code marker/target/libaiprof.so}) and the fake
   * driver.
   */
  public static synchronized Path phasedProgram(Path libaiprof) {
    Path driver = fakeDriver();
    return program(
        "cuda_phases",
        "-I" + root().resolve("marker/include"),
        "-L" + driver.getParent(),
        "-l:libcuda.so.1",
        rpath(driver),
        "-L" + libaiprof.getParent(),
        "-laiprof",
        rpath(libaiprof));
  }

  /**
   * A program of this folder compiled with {@code extra} flags (libraries, include paths) after its
   * source; for fixtures of other modules that add libaiprof.so.
   */
  public static synchronized Path program(String name, String... extra) {
    Path exe = out().resolve(name);
    List<String> args = new ArrayList<>(List.of("-O2", "-pthread", "-I" + sources()));
    args.addAll(List.of("-o", exe.toString(), sources().resolve(name + ".c").toString()));
    args.addAll(List.of(extra));
    gcc(exe, args.toArray(String[]::new));
    return exe;
  }

  private static String rpath(Path lib) {
    return "-Wl,-rpath," + lib.getParent();
  }

  static void gcc(Path target, String... args) {
    List<String> cmd = new ArrayList<>(List.of("gcc", "-Wall", "-Werror"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(cmd + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run gcc for " + target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
