package dev.aiprof.reference.llm.gguf;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Reads tensor data of one {@link GgufFile} into float arrays with plain positional reads (a real
 * read of every byte from disk or the page cache, not a lazy mapping), widening F16 to F32. Reports
 * cumulative bytes to a {@link Progress}. Not thread-safe; close it after use.
 */
public final class TensorReader implements AutoCloseable {
  private static final int CHUNK = 1 << 20;

  private final GgufFile file;
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
  private final Progress progress;
  private final long total;
  private long done;

  public TensorReader(GgufFile file, Progress progress) throws IOException {
    this.file = file;
    this.channel = FileChannel.open(file.path(), StandardOpenOption.READ);
    this.progress = progress;
    this.total = file.dataBytes();
  }

  /** The whole tensor {@code name} as floats. */
  public float[] read(String name) throws IOException {
    GgufTensorInfo t = file.tensor(name);
    float[] out = new float[Math.toIntExact(t.elements())];
    long position = file.dataStart() + t.offset();
    int filled = 0;
    while (filled < out.length) {
      int elements = Math.min(out.length - filled, CHUNK / t.type().bytes());
      buffer.clear().limit(elements * t.type().bytes());
      readFully(position);
      buffer.flip();
      decode(t.type(), out, filled, elements);
      position += (long) elements * t.type().bytes();
      filled += elements;
      done += (long) elements * t.type().bytes();
      progress.update(done, total);
    }
    return out;
  }

  private void readFully(long position) throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int r = channel.read(buffer, p);
      if (r < 0) {
        throw new EOFException(file.path() + " ends inside tensor data at byte " + p);
      }
      p += r;
    }
  }

  private void decode(GgmlType type, float[] out, int from, int n) {
    if (type == GgmlType.F32) {
      buffer.asFloatBuffer().get(out, from, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      out[from + i] = Float.float16ToFloat(buffer.getShort());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
