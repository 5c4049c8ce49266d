package dev.aiprof.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end, with its output; fails the test on a timeout. Stateless. */
record Cmd(int exit, String out, String err) {
  static Cmd run(List<String> command) {
    return run(command, Map.of(), Duration.ofSeconds(60));
  }

  /**
   * @param env replaces the whole environment (a value of null removes nothing: it is skipped)
   */
  static Cmd run(List<String> command, Map<String, String> env, Duration timeout) {
    try {
      Path out = Files.createTempFile("deploy-it", ".out");
      Path err = Files.createTempFile("deploy-it", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (!env.isEmpty()) {
          pb.environment().clear();
          pb.environment().putAll(env);
        }
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor();
          throw new AssertionError(command + " did not finish within " + timeout);
        }
        return new Cmd(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** Asserts exit status 0 and returns stdout. */
  String ok() {
    assertThat(exit).as("exit status; stderr:%n%s%nstdout:%n%s", err, out).isZero();
    return out;
  }
}
