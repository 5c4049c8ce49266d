package dev.aiprof.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A small npm project of the repository (a checker such as {@code dashboards/check}) run from a
 * copy in the build directory, where {@code npm ci} installs the pinned packages once: again only
 * when {@code package-lock.json} changes. Not thread-safe (one copy per build directory).
 */
public final class NpmProject {
  /** A command's exit status and output (stdout and stderr together). */
  public record Result(int status, String output) {}

  private final Path dir;

  private NpmProject(Path dir) {
    this.dir = dir;
  }

  /** Copies the files of {@code source} to the build directory's {@code name} and installs. */
  public static NpmProject install(Path source, String name) {
    String build = System.getenv("AIPROF_BUILD_DIR");
    Path dir = Path.of(build != null ? build : "target").resolve(name);
    try {
      Files.createDirectories(dir);
      try (Stream<Path> s = Files.list(source)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) {
          Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Path stamp = dir.resolve("node_modules/.aiprof-package-lock.json");
      byte[] lock = Files.readAllBytes(dir.resolve("package-lock.json"));
      if (!Files.exists(stamp) || !Arrays.equals(Files.readAllBytes(stamp), lock)) {
        Result npm = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
        if (npm.status() != 0) {
          throw new AssertionError(
              "npm ci in " + dir + " failed (is the npm registry reachable?):\n" + npm.output());
        }
        Files.write(stamp, lock);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("install the npm project " + source + " in " + dir, e);
    }
    return new NpmProject(dir);
  }

  /** Runs {@code node SCRIPT FILES...} (absolute paths) in the copy. */
  public Result node(String script, List<Path> files) {
    List<String> cmd = new ArrayList<>(List.of("node", script));
    files.forEach(f -> cmd.add(f.toAbsolutePath().toString()));
    return run(dir, cmd, 300);
  }

  private static Result run(Path dir, List<String> cmd, int seconds) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " took over " + seconds + " s:\n" + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }
}
