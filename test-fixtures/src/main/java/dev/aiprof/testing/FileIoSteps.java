package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fileio fixture ({@code test-fixtures/src/main/c/fileio/fileio_steps.c}) built by gcc and run
 * as a child process: one file-I/O step per command, with the kernel's own accounting of the
 * process ({@code /proc/PID/io}, {@code /proc/PID/stat}) readable between steps. Closing kills it.
 * Not thread-safe.
 */
public final class FileIoSteps implements AutoCloseable {
  /** {@code did <command> <value> <start_ns> <end_ns>}. */
  public record Did(String command, long value, long startNs, long endNs) {}

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  private FileIoSteps(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("fileio-steps-" + process.pid()).start(this::read);
  }

  /** The fixture, built if missing; with {@code libaiprof} (not null) its steps are phases. */
  public static synchronized Path build(Path libaiprof) {
    Path root = CudaFixtures.root();
    Path src = root.resolve("test-fixtures/src/main/c/fileio/fileio_steps.c");
    Path out = CudaFixtures.out().resolveSibling("fileio-c");
    Path exe = out.resolve(libaiprof == null ? "fileio_steps" : "fileio_steps_marked");
    List<String> cmd =
        new ArrayList<>(
            List.of("gcc", "-Wall", "-Werror", "-O2", "-o", exe.toString(), src.toString()));
    if (libaiprof != null) {
      cmd.addAll(
          List.of(
              "-DAIPROF_MARKER",
              "-I" + root.resolve("marker/include"),
              "-L" + libaiprof.getParent(),
              "-laiprof",
              "-Wl,-rpath," + libaiprof.getParent()));
    }
    try {
      Files.createDirectories(out);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(cmd + " failed:\n" + log);
      }
      return exe;
    } catch (IOException e) {
      throw new UncheckedIOException("build " + exe, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts {@code exe} and waits for its {@code ready}. */
  public static FileIoSteps start(Path exe, Duration timeout) throws InterruptedException {
    try {
      FileIoSteps s =
          new FileIoSteps(
              new ProcessBuilder(exe.toString())
                  .redirectError(ProcessBuilder.Redirect.INHERIT)
                  .start());
      String first = s.lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!"ready".equals(first)) {
        throw new AssertionError("fileio fixture said " + first + " instead of ready");
      }
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("start " + exe, e);
    }
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the process went away
    }
  }

  /**
   * Runs one command and returns what the fixture did. The fixture reads the command with one
   * read(2) of {@code command.length() + 1} bytes from its stdin pipe (counted in its rchar).
   */
  public Did run(String command, Duration timeout) throws InterruptedException {
    send(command);
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null || !line.startsWith("did ")) {
      throw new AssertionError("fileio fixture answered " + line + " to " + command);
    }
    String[] f = line.split(" ");
    return new Did(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
  }

  private void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("write to pid " + pid(), e);
    }
  }

  public int pid() {
    return (int) process.pid();
  }

  /** The process's {@code /proc/PID/io} now (rchar, wchar, read_bytes, ...). */
  public Map<String, Long> io() {
    return ProcAccounting.io(slurp(Path.of("/proc/" + pid() + "/io")));
  }

  /** Its major faults now: {@code majflt} of {@code /proc/PID/stat}. */
  public long majorFaults() {
    return ProcAccounting.majorFaults(slurp(Path.of("/proc/" + pid() + "/stat")));
  }

  private static String slurp(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + p, e);
    }
  }

  /** Sends "exit" and waits for the exit code. */
  public int exit(Duration timeout) throws InterruptedException {
    send("exit");
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pid " + pid() + " did not exit");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
