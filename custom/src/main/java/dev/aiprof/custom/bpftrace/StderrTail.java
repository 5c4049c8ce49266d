package dev.aiprof.custom.bpftrace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last lines bpftrace wrote to stderr (its compile and attach errors), at most {@value #LINES}
 * lines of at most {@value #LINE_CHARS} characters each. bpftrace's warning that it cannot raise
 * RLIMIT_MEMLOCK (irrelevant where the kernel accounts BPF memory to the cgroup) is left out.
 * Thread-safe: one thread drains, others read.
 */
final class StderrTail {
  static final int LINES = 20;
  static final int LINE_CHARS = 300;

  private final Deque<String> lines = new ArrayDeque<>();

  /** Drains {@code in} to its end on the calling thread. */
  void drain(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        add(l);
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  synchronized void add(String l) {
    if (l.isBlank() || l.contains("RLIMIT_MEMLOCK")) {
      return;
    }
    lines.addLast(l.length() > LINE_CHARS ? l.substring(0, LINE_CHARS) + "..." : l);
    while (lines.size() > LINES) {
      lines.removeFirst();
    }
  }

  synchronized void clear() {
    lines.clear();
  }

  /** bpftrace's message: the ERROR lines if any, else every line kept, joined by newlines. */
  synchronized String message() {
    StringBuilder errors = new StringBuilder();
    for (String l : lines) {
      if (l.contains("ERROR")) {
        errors.append(errors.isEmpty() ? "" : "\n").append(l);
      }
    }
    return errors.isEmpty() ? String.join("\n", lines) : errors.toString();
  }
}
