package dev.aiprof.testing.backends;

import dev.aiprof.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A backend server running as a child process, its output in a log file. {@link #close} stops it
 * (SIGTERM, then SIGKILL after 15 s) and waits for it; idempotent. Not thread-safe.
 */
final class BackendProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private BackendProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static BackendProcess start(String name, List<String> command, Path log) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      return new BackendProcess(name, p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.getFirst(), e);
    }
  }

  /** Throws, with the log's tail, when the process has exited (for readiness polls). */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with status " + process.exitValue() + ":\n" + tail());
    }
  }

  long pid() {
    return process.pid();
  }

  /** The last lines of its log, for failure messages. */
  String tail() {
    return name + " log (" + log + "), last lines:\n" + Command.tail(log, 30);
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(15));
  }
}
