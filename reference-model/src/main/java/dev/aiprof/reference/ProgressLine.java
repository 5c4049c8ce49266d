package dev.aiprof.reference;

import java.io.PrintStream;

/**
 * The line protocol between a reference process and whoever started it ({@code aiprof demo}), on
 * the process's stdout: {@code progress TASK DONE TOTAL} as work advances, {@code ready PORT} when
 * the server listens, {@code result JSON} at the client's end. Anything else on stdout is not
 * written. Thread-safe.
 */
public final class ProgressLine {
  private final PrintStream out;

  public ProgressLine(PrintStream out) {
    this.out = out;
  }

  public synchronized void progress(String task, long done, long total) {
    out.println("progress " + task + " " + done + " " + total);
    out.flush();
  }

  public synchronized void ready(int port) {
    out.println("ready " + port);
    out.flush();
  }

  public synchronized void result(String json) {
    out.println("result " + json);
    out.flush();
  }
}
