package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A CUDA fixture program ({@link CudaFixtures}) running as a child process, and what it printed
 * about itself (the lines of {@code fixture.h}): its threads, its calls by (thread, call,
 * direction), its timed waits and results. Closing kills it. Not thread-safe.
 */
public final class CudaProgram implements AutoCloseable {
  /** {@code count <tid> <call> <direction> <calls> <bytes>}. */
  public record Count(int tid, String call, String dir, long calls, long bytes) {}

  /** {@code wait <tid> <call> <start_ns> <end_ns>}, CLOCK_MONOTONIC around the call. */
  public record Wait(int tid, String call, long startNs, long endNs) {
    public long ns() {
      return endNs - startNs;
    }
  }

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = new ArrayList<>();

  private CudaProgram(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("cuda-program-" + process.pid()).start(this::read);
  }

  /** Starts {@code command} with extra environment and waits for its {@code ready}. */
  public static CudaProgram start(List<String> command, Map<String, String> env, Duration timeout)
      throws InterruptedException {
    ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    b.environment().putAll(env);
    try {
      CudaProgram p = new CudaProgram(b.start());
      p.await("ready", timeout);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("start " + command, e);
    }
  }

  private void read() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (all) {
          all.add(line);
        }
        lines.add(line);
      }
    } catch (IOException e) {
      // the process went away
    }
  }

  /** Waits for the next line equal to {@code want}, skipping others (they stay in lines()). */
  public void await(String want, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line '" + want + "' from pid " + pid() + "; got " + lines());
      }
      if (line.equals(want)) {
        return;
      }
    }
  }

  /** Sends "go" and waits for "done". */
  public void run(Duration timeout) throws InterruptedException {
    send("go");
    await("done", timeout);
  }

  public void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("write to pid " + pid(), e);
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

  /** Waits for the program to exit by itself (no "exit" sent); returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("pid " + pid() + " did not exit");
    }
    return process.exitValue();
  }

  public int pid() {
    return (int) process.pid();
  }

  public List<String> lines() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  /** The tids of its worker threads, by index. */
  public List<Integer> threads() {
    return fields("thread").stream().map(f -> Integer.parseInt(f[2])).toList();
  }

  public List<Count> counts() {
    return fields("count").stream()
        .map(
            f ->
                new Count(
                    Integer.parseInt(f[1]), f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5])))
        .toList();
  }

  public List<Wait> waits() {
    return fields("wait").stream()
        .map(
            f -> new Wait(Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4])))
        .toList();
  }

  /** The values {@code call} returned, from its {@code result} lines. */
  public List<Integer> results(String call) {
    return fields("result").stream()
        .filter(f -> f[2].equals(call))
        .map(f -> Integer.parseInt(f[3]))
        .toList();
  }

  private List<String[]> fields(String kind) {
    return lines().stream().map(l -> l.split(" ")).filter(f -> f[0].equals(kind)).toList();
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
