package dev.aiprof.collectors.otlp;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts the lines every JUL record logged in this JVM would print (message plus stack trace), as
 * the root handler would: attached to the root logger while open. Thread-safe.
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong lines = new AtomicLong();
  private final StringBuffer text = new StringBuffer();

  LogCapture() {
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public void publish(LogRecord r) {
    records.incrementAndGet();
    String m = String.valueOf(r.getMessage());
    long n = m.lines().count();
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      n += w.toString().lines().count();
      m += "\n" + w;
    }
    lines.addAndGet(n);
    if (text.length() < 1 << 20) {
      text.append(r.getLoggerName()).append(": ").append(m).append('\n');
    }
  }

  long records() {
    return records.get();
  }

  long lines() {
    return lines.get();
  }

  String text() {
    return text.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
