package dev.aiprof.exporters.file;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * The output stream the SDK's OTLP JSON writer writes to: it collects bytes up to each newline (one
 * export request per line; JSON escapes newlines inside strings) and hands the whole line to a
 * {@link RotatingFile}, so files rotate between lines only. Never throws: a line that cannot be
 * written is counted by the file. Used by one exporter, which serializes its writes.
 */
final class LineStream extends OutputStream {
  private final RotatingFile file;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(64 * 1024);

  LineStream(RotatingFile file) {
    this.file = file;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i - start);
        endLine();
        start = i + 1;
      }
    }
    line.write(b, start, off + len - start);
  }

  private void endLine() {
    if (line.size() > 0) {
      file.write(line.toByteArray());
    }
    line.reset();
  }

  @Override
  public synchronized void close() {
    endLine();
    file.close();
  }
}
