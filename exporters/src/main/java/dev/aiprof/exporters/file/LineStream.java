package dev.aiprof.exporters.file;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The output stream the SDK's OTLP JSON writer writes to: it collects bytes up to each newline (one
 * export request per line; JSON escapes newlines inside strings) and hands the whole line to a
 * {@link RotatingFile}, so files rotate between lines only. Never throws: a line that cannot be
 * written is counted by the file. Used by one exporter, which serializes its writes.
 *
 * <p>A line is kept in chunks of {@value #CHUNK} bytes, not in one growing array: a metrics line of
 * a node with a hundred pods is megabytes, and doubling an array up to that size makes twice as
 * much garbage and a copy. One chunk is kept between lines.
 */
final class LineStream extends OutputStream {
  static final int CHUNK = 64 * 1024;

  private final RotatingFile file;
  private final List<byte[]> full = new ArrayList<>();
  private final byte[] first = new byte[CHUNK];
  private byte[] current = first;
  private int pos;

  LineStream(RotatingFile file) {
    this.file = file;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      endLine();
    } else {
      append(new byte[] {(byte) b}, 0, 1);
    }
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        append(b, start, i - start);
        endLine();
        start = i + 1;
      }
    }
    append(b, start, off + len - start);
  }

  private void append(byte[] b, int off, int len) {
    while (len > 0) {
      if (pos == CHUNK) {
        full.add(current);
        current = new byte[CHUNK];
        pos = 0;
      }
      int n = Math.min(len, CHUNK - pos);
      System.arraycopy(b, off, current, pos, n);
      pos += n;
      off += n;
      len -= n;
    }
  }

  private void endLine() {
    if (!full.isEmpty() || pos > 0) {
      List<ByteBuffer> line = new ArrayList<>(full.size() + 1);
      for (byte[] c : full) {
        line.add(ByteBuffer.wrap(c));
      }
      line.add(ByteBuffer.wrap(current, 0, pos));
      file.write(line);
    }
    full.clear();
    current = first;
    pos = 0;
  }

  @Override
  public synchronized void close() {
    endLine();
    file.close();
  }
}
