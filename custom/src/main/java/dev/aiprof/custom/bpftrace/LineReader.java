package dev.aiprof.custom.bpftrace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of at most {@code maxBytes} from a stream: a longer line is skipped to its end and
 * counted ({@link #overlong}), never buffered whole. Blank lines are skipped. One reader thread.
 */
final class LineReader {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int len;
  private byte[] line = new byte[1024];
  private long overlong;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next non-blank line within the bound, or null at the end of the stream. */
  String next() throws IOException {
    while (true) {
      int n = 0;
      boolean tooLong = false;
      while (true) {
        if (pos == len) {
          len = in.read(buf);
          pos = 0;
          if (len <= 0) {
            len = 0;
            return n > 0 && !tooLong ? new String(line, 0, n, StandardCharsets.UTF_8) : null;
          }
        }
        byte b = buf[pos++];
        if (b == '\n') {
          break;
        }
        if (tooLong) {
          continue;
        }
        if (n == maxBytes) {
          tooLong = true;
          continue;
        }
        if (n == line.length) {
          line = Arrays.copyOf(line, Math.min(maxBytes, line.length * 2));
        }
        line[n++] = b;
      }
      if (tooLong) {
        overlong++;
      } else if (n > 0) {
        String s = new String(line, 0, n, StandardCharsets.UTF_8);
        if (!s.isBlank()) {
          return s;
        }
      }
    }
  }

  /** Lines skipped because they were longer than the bound. */
  long overlong() {
    return overlong;
  }
}
