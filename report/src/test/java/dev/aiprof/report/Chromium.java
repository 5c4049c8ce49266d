package dev.aiprof.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Debian {@code chromium} for page tests: loads a file with networking and first-run
 * services off, lets timers and animation frames run ({@code --virtual-time-budget}), and returns
 * what it printed. Console messages (logs, errors, uncaught exceptions, CSP violations) reach its
 * stderr as {@code CONSOLE} lines through {@code --enable-logging=stderr}.
 */
final class Chromium {
  record Output(String stdout, List<String> console, String stderr) {}

  private final Path profile;

  Chromium(Path profile) {
    this.profile = profile;
  }

  /** The DOM after the page's scripts ran. */
  Output dumpDom(Path page) throws IOException, InterruptedException {
    return dumpDom(page, "");
  }

  /** The DOM of the page opened with a fragment ({@code #view=...}). */
  Output dumpDom(Path page, String fragment) throws IOException, InterruptedException {
    return run(page, fragment, "--dump-dom");
  }

  /** A PNG screenshot of the page at the given window size. */
  Output screenshot(Path page, Path png, int width, int height)
      throws IOException, InterruptedException {
    return screenshot(page, "", png, width, height);
  }

  Output screenshot(Path page, String fragment, Path png, int width, int height)
      throws IOException, InterruptedException {
    return run(
        page,
        fragment,
        "--screenshot=" + png.toAbsolutePath(),
        "--window-size=" + width + "," + height,
        "--hide-scrollbars");
  }

  private Output run(Path page, String fragment, String... extra)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000"));
    cmd.addAll(List.of(extra));
    cmd.add(page.toAbsolutePath().toUri() + fragment);
    Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
    Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + cmd);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    List<String> console = stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited " + p.exitValue() + ": " + stderr);
    }
    return new Output(Files.readString(out, StandardCharsets.UTF_8), console, stderr);
  }
}
