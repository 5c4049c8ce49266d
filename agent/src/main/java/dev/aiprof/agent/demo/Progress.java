package dev.aiprof.agent.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's progress: on a terminal one bar per task redrawn in place ({@code \r}), otherwise a
 * plain line when a task starts, at each quarter and when it ends. Task labels: {@code model-write}
 * (the synthetic model written on first run), {@code model-load}, {@code corpus}, {@code requests}.
 * Thread-safe.
 */
final class Progress {
  private static final Map<String, String> LABELS =
      Map.of(
          "model-write", "writing the synthetic model",
          "model-load", "loading the model",
          "corpus", "embedding the corpus",
          "requests", "requests");
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean tty;
  private String task = "";
  private long lastQuarter = -1;

  Progress(PrintStream out, boolean tty) {
    this.out = out;
    this.tty = tty;
  }

  synchronized void update(String name, long done, long total) {
    if (!name.equals(task)) {
      if (tty && !task.isEmpty()) {
        out.println();
      }
      task = name;
      lastQuarter = -1;
    }
    String label = LABELS.getOrDefault(name, name);
    long quarter = total <= 0 ? 4 : done * 4 / total;
    if (tty) {
      int filled = total <= 0 ? WIDTH : (int) (done * WIDTH / total);
      out.printf(
          Locale.ROOT,
          "\r  %-28s [%s%s] %d/%d",
          label,
          "#".repeat(filled),
          ".".repeat(WIDTH - filled),
          done,
          total);
      if (done >= total) {
        out.println();
        task = "";
      }
      out.flush();
    } else if (quarter != lastQuarter) {
      lastQuarter = quarter;
      out.printf(Locale.ROOT, "  %s: %d/%d%n", label, done, total);
    }
  }
}
