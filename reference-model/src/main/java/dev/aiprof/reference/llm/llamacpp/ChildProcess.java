package dev.aiprof.reference.llm.llamacpp;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started child JVM spoken to one line at a time: requests on its stdin, {@link
 * Protocol#PREFIX}-ed answers on its stdout; its stderr is drained by a named daemon thread into
 * the last {@value #TAIL} lines, quoted in errors. Not thread-safe; {@link #close()} is idempotent
 * and kills the child if it does not quit within five seconds.
 */
final class ChildProcess implements AutoCloseable {
  static final int TAIL = 20;

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private boolean closed;

  ChildProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).start();
    in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Thread drain = new Thread(this::drainStderr, "aiprof-llamacpp-stderr");
    drain.setDaemon(true);
    drain.start();
  }

  long pid() {
    return process.pid();
  }

  /** Sends {@code request} (null: none) and returns the next answer, its prefix removed. */
  String call(String request) throws IOException {
    if (request != null) {
      in.write(request);
      in.newLine();
      in.flush();
    }
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith(Protocol.PREFIX)) {
        return line.substring(Protocol.PREFIX.length());
      }
    }
    throw new IOException(
        "the llama.cpp child process ended (exit " + exitCode() + "): " + stderrTail());
  }

  /** The child's last lines of stderr, one string. */
  String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "(no stderr)" : String.join(" | ", stderrTail);
    }
  }

  private String exitCode() {
    try {
      return process.waitFor(2, TimeUnit.SECONDS)
          ? String.valueOf(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private void drainStderr() {
    try (BufferedReader err =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = err.readLine()) != null; ) {
        synchronized (stderrTail) {
          if (stderrTail.size() == TAIL) {
            stderrTail.removeFirst();
          }
          stderrTail.addLast(line);
        }
      }
    } catch (IOException e) {
      // the child is gone; what it said is kept
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.write(Protocol.QUIT);
      in.newLine();
      in.flush();
      in.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
