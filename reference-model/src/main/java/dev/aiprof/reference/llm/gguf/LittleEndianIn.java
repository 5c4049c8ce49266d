package dev.aiprof.reference.llm.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian primitives and GGUF strings from a stream, counting the bytes read. */
final class LittleEndianIn {
  /** Longest string accepted: a bound against a corrupt length field. */
  static final int MAX_STRING = 1 << 20;

  private final InputStream in;
  private final byte[] scratch = new byte[8];
  private long position;

  LittleEndianIn(InputStream in) {
    this.in = in;
  }

  long position() {
    return position;
  }

  int u8() throws IOException {
    fill(scratch, 1);
    return scratch[0] & 0xff;
  }

  int u16() throws IOException {
    return (int) le(2);
  }

  long u32() throws IOException {
    return le(4);
  }

  long u64() throws IOException {
    return le(8);
  }

  String string() throws IOException {
    long n = u64();
    if (n < 0 || n > MAX_STRING) {
      throw new GgufFormatException("string length " + n + " at byte " + position + " is corrupt");
    }
    byte[] b = new byte[(int) n];
    fill(b, b.length);
    return new String(b, StandardCharsets.UTF_8);
  }

  void skipTo(long target) throws IOException {
    while (position < target) {
      u8();
    }
  }

  private long le(int n) throws IOException {
    fill(scratch, n);
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (scratch[i] & 0xffL) << (8 * i);
    }
    return v;
  }

  private void fill(byte[] b, int len) throws IOException {
    int off = 0;
    while (off < len) {
      int r = in.read(b, off, len - off);
      if (r < 0) {
        throw new EOFException("GGUF file ends early, at byte " + (position + off));
      }
      off += r;
    }
    position += len;
  }
}
