package dev.aiprof.exporters.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A byte buffer that refuses to grow past its cap. Not thread-safe. */
final class BoundedBuffer extends OutputStream {
  /** The cap was reached. */
  static final class Full extends IOException {
    Full(int cap) {
      super(
          "the metrics are larger than "
              + (cap >= 1 << 20 ? (cap >> 20) + " MiB" : (cap >> 10) + " KiB")
              + ": scrape refused (too many series? see the series caps in the README)");
    }
  }

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * 1024);
  private final int cap;

  BoundedBuffer(int cap) {
    this.cap = cap;
  }

  @Override
  public void write(int b) throws IOException {
    check(1);
    buf.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    check(len);
    buf.write(b, off, len);
  }

  private void check(int more) throws Full {
    if (buf.size() + (long) more > cap) {
      throw new Full(cap);
    }
  }

  byte[] toByteArray() {
    return buf.toByteArray();
  }
}
