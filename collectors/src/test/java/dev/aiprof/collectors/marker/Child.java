package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A test program run as a child process, talking lines: its stdout is collected by a reader thread
 * (so waits have deadlines), stdin takes commands. Closing kills it.
 */
final class Child implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
  private final List<String> lines = new ArrayList<>();
  private final java.util.concurrent.CountDownLatch eof =
      new java.util.concurrent.CountDownLatch(1);

  private Child(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("child-" + process.pid()).start(this::read);
  }

  static Child start(List<String> command, Map<String, String> env) {
    ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    b.environment().putAll(env);
    try {
      return new Child(b.start());
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
        synchronized (lines) {
          lines.add(line);
        }
        pending.add(line);
      }
    } catch (IOException e) {
      // the process went away
    } finally {
      eof.countDown();
    }
  }

  /** Waits for the next line equal to {@code want}, skipping others (they stay in lines()). */
  void await(String want, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = pending.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(line).as("line '%s' from pid %d; so far: %s", want, pid(), lines()).isNotNull();
      if (line.equals(want)) {
        return;
      }
    }
  }

  void send(String line) {
    try {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("write to pid " + pid(), e);
    }
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  int pid() {
    return (int) process.pid();
  }

  /** Waits for the process to exit (and its output to be read); returns its exit code. */
  int waitFor(Duration timeout) throws InterruptedException {
    assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("pid %d exited; output: %s", pid(), lines())
        .isTrue();
    assertThat(eof.await(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("output of pid %d read to the end", pid())
        .isTrue();
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
