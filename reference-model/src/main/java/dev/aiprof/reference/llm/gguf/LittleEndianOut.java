package dev.aiprof.reference.llm.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian primitives and GGUF strings onto a stream, counting the bytes written. */
final class LittleEndianOut {
  private final OutputStream out;
  private final byte[] scratch = new byte[8];
  private long written;

  LittleEndianOut(OutputStream out) {
    this.out = out;
  }

  long written() {
    return written;
  }

  void u8(int v) throws IOException {
    out.write(v);
    written++;
  }

  void u16(int v) throws IOException {
    le(v, 2);
  }

  void u32(long v) throws IOException {
    le(v, 4);
  }

  void u64(long v) throws IOException {
    le(v, 8);
  }

  void string(String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u64(b.length);
    bytes(b, 0, b.length);
  }

  void bytes(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    written += len;
  }

  void padTo(long alignment) throws IOException {
    while (written % alignment != 0) {
      u8(0);
    }
  }

  private void le(long v, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      scratch[i] = (byte) (v >>> (8 * i));
    }
    bytes(scratch, 0, n);
  }
}
