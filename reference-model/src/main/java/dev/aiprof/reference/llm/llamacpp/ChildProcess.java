package dev.aiprof.reference.llm.llamacpp;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A started child JVM spoken to one line at a time: requests on its stdin, {@link
 * Protocol#PREFIX}-ed answers on its stdout. Two named daemon threads read the child's output:
 * {@code aiprof-llamacpp-stdout} queues answers (at most {@value #QUEUE}), {@code
 * aiprof-llamacpp-stderr} keeps the last {@value #TAIL} lines of stderr, quoted in errors. A call
 * that gets no answer in time kills the child and fails, so a hung llama.cpp never blocks the
 * caller for good. Not thread-safe; {@link #close()} is idempotent and kills the child if it does
 * not quit within five seconds.
 */
final class ChildProcess implements AutoCloseable {
  static final int TAIL = 20;
  static final int QUEUE = 16;

  /** Stands for the end of the child's stdout in the answer queue. */
  private static final String END = new String("end of output");

  private final Process process;
  private final BufferedWriter in;
  private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(QUEUE);
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final Thread stderrReader;
  private boolean closed;

  ChildProcess(List<String> command) throws IOException {
    process = new ProcessBuilder(command).start();
    in =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    daemon("aiprof-llamacpp-stdout", () -> read(process.getInputStream(), this::answer));
    stderrReader =
        daemon("aiprof-llamacpp-stderr", () -> read(process.getErrorStream(), this::keep));
  }

  long pid() {
    return process.pid();
  }

  /**
   * Sends {@code request} (null: none) and returns the next answer, its prefix removed.
   *
   * @throws IOException when the child ended or did not answer within {@code timeout} (then it is
   *     killed)
   */
  String call(String request, Duration timeout) throws IOException {
    if (request != null) {
      try {
        in.write(request);
        in.newLine();
        in.flush();
      } catch (IOException e) {
        throw new IOException("the llama.cpp child process is gone: " + stderrTail(), e);
      }
    }
    String answer;
    try {
      answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for the llama.cpp child", e);
    }
    if (answer == null) {
      process.destroyForcibly();
      throw new IOException(
          "the llama.cpp child did not answer within "
              + timeout.toSeconds()
              + " s (killed): "
              + stderrTail());
    }
    if (answer == END) {
      answers.offer(END);
      awaitStderr(); // the child's last words may still be in its stderr pipe
      throw new IOException(
          "the llama.cpp child process ended (exit " + exitCode() + "): " + stderrTail());
    }
    return answer;
  }

  /** The child's last lines of stderr, one string. */
  String stderrTail() {
    synchronized (stderrTail) {
      return stderrTail.isEmpty() ? "(no stderr)" : String.join(" | ", stderrTail);
    }
  }

  private void answer(String line) {
    if (line == END || line.startsWith(Protocol.PREFIX)) {
      try {
        answers.put(line == END ? END : line.substring(Protocol.PREFIX.length()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void keep(String line) {
    if (line == END) {
      return;
    }
    synchronized (stderrTail) {
      if (stderrTail.size() == TAIL) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line);
    }
  }

  private static void read(InputStream stream, Consumer<String> sink) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        sink.accept(line);
      }
    } catch (IOException e) {
      // the child is gone; END below says so
    }
    sink.accept(END);
  }

  private void awaitStderr() {
    try {
      stderrReader.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
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
