package dev.aiprof.profiler;

import dev.aiprof.testing.CudaFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the profiler's C fixtures (src/test/c) with gcc at test time, with frame pointers and
 * against libaiprof.so (the marker module's build), into target/test-c.
 */
final class ProfileFixtures {
  private ProfileFixtures() {}

  static Path libaiprof() {
    Path lib = CudaFixtures.root().resolve("marker/target/libaiprof.so");
    if (!Files.exists(lib)) {
      throw new AssertionError(lib + " missing: build the marker module first");
    }
    return lib;
  }

  /** {@code profile_phases}: two CPU-heavy phases and one sleeping one. */
  static synchronized Path phasesProgram() {
    Path root = CudaFixtures.root();
    Path lib = libaiprof();
    Path out = root.resolve("profiler/target/test-c");
    Path exe = out.resolve("profile_phases");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "gcc",
                "-O2",
                "-g",
                "-fno-omit-frame-pointer",
                "-pthread",
                "-Wall",
                "-Werror",
                "-I" + root.resolve("test-fixtures/src/main/c/cuda"),
                "-I" + root.resolve("marker/include"),
                "-o",
                exe.toString(),
                root.resolve("profiler/src/test/c/profile_phases.c").toString(),
                "-L" + lib.getParent(),
                "-laiprof",
                "-Wl,-rpath," + lib.getParent()));
    try {
      Files.createDirectories(out);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(cmd + " failed:\n" + text);
      }
      return exe;
    } catch (IOException e) {
      throw new AssertionError("cannot run gcc", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * {@code many_stacks} built with {@code -DPREFIX=prefix} (its functions are {@code
   * prefix_f0}...): a new user stack at almost every sample.
   */
  static synchronized Path manyStacksProgram(String prefix) {
    Path root = CudaFixtures.root();
    Path out = root.resolve("profiler/target/test-c");
    Path exe = out.resolve("many_stacks_" + prefix);
    List<String> cmd =
        List.of(
            "gcc",
            "-O2",
            "-g",
            "-fno-omit-frame-pointer",
            "-fno-optimize-sibling-calls",
            "-Wall",
            "-Werror",
            "-DPREFIX=" + prefix,
            "-o",
            exe.toString(),
            root.resolve("profiler/src/test/c/many_stacks.c").toString());
    try {
      Files.createDirectories(out);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(cmd + " failed:\n" + text);
      }
      return exe;
    } catch (IOException e) {
      throw new AssertionError("cannot run gcc", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
