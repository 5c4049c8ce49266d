package dev.aiprof.testing.backends;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion (a download, an extraction), its output in a log file. */
final class Command {
  private Command() {}

  /**
   * Runs {@code cmd} in {@code dir} with {@code env} added, output (both streams) to {@code log}.
   *
   * @throws IllegalStateException when it fails or times out, with the log's last lines
   */
  static void run(List<String> cmd, Path dir, Map<String, String> env, Path log, Duration timeout)
      throws InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
    }
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          String.join(" ", cmd) + " took over " + timeout.toSeconds() + " s\n" + tail(log, 20));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + tail(log, 20));
    }
  }

  /** The last {@code n} lines of a text file ("" when it cannot be read). */
  static String tail(Path file, int n) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }
}
