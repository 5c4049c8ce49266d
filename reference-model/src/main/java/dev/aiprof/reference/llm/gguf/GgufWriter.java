package dev.aiprof.reference.llm.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * Writes a GGUF v3 file: metadata in insertion order, tensor infos with offsets aligned to {@code
 * general.alignment} (32 unless set), the data section. Build it up, then {@link #write} once. Not
 * thread-safe.
 */
public final class GgufWriter {
  private static final int CHUNK = 1 << 16;

  private final SequencedMap<String, GgufValue> metadata = new LinkedHashMap<>();
  private final List<Entry> tensors = new ArrayList<>();

  private record Entry(String name, GgmlType type, long[] dims, TensorData data) {}

  /** Adds (or replaces) a metadata key. */
  public GgufWriter put(String key, GgufValue value) {
    metadata.put(key, value);
    return this;
  }

  /** Adds a tensor; {@code dims} innermost first, as ggml's {@code ne}. */
  public GgufWriter tensor(String name, GgmlType type, long[] dims, TensorData data) {
    tensors.add(new Entry(name, type, dims.clone(), data));
    return this;
  }

  /** The tensor infos as they will be written: offsets aligned under the current alignment. */
  public List<GgufTensorInfo> layout() {
    List<GgufTensorInfo> infos = new ArrayList<>();
    long offset = 0;
    for (Entry e : tensors) {
      GgufTensorInfo t = new GgufTensorInfo(e.name(), e.dims(), e.type(), offset);
      infos.add(t);
      offset = GgufReader.align(offset + t.byteSize(), alignment());
    }
    return infos;
  }

  /** Bytes the file will take. */
  public long fileBytes() throws IOException {
    LittleEndianOut counter = new LittleEndianOut(OutputStream.nullOutputStream());
    header(counter);
    return GgufReader.align(counter.written(), alignment()) + dataBytes();
  }

  /** Writes the whole file to {@code out} (buffered here; the caller closes {@code out}). */
  public void write(OutputStream out, Progress progress) throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    LittleEndianOut le = new LittleEndianOut(buffered);
    header(le);
    le.padTo(alignment());
    long dataStart = le.written();
    long total = fileBytes();
    float[] chunk = new float[CHUNK];
    byte[] bytes = new byte[CHUNK * 4];
    List<GgufTensorInfo> infos = layout();
    for (int i = 0; i < infos.size(); i++) {
      while (le.written() - dataStart < infos.get(i).offset()) {
        le.u8(0);
      }
      writeData(le, infos.get(i), tensors.get(i).data(), chunk, bytes, progress, total);
    }
    buffered.flush();
  }

  private void header(LittleEndianOut out) throws IOException {
    out.u32(GgufReader.MAGIC);
    out.u32(GgufReader.VERSION);
    out.u64(tensors.size());
    out.u64(metadata.size());
    for (var kv : metadata.entrySet()) {
      out.string(kv.getKey());
      GgufValueCodec.write(out, kv.getValue());
    }
    for (GgufTensorInfo t : layout()) {
      out.string(t.name());
      out.u32(t.dims().length);
      for (long d : t.dims()) {
        out.u64(d);
      }
      out.u32(t.type().code());
      out.u64(t.offset());
    }
  }

  private static void writeData(
      LittleEndianOut out,
      GgufTensorInfo info,
      TensorData data,
      float[] chunk,
      byte[] bytes,
      Progress progress,
      long total)
      throws IOException {
    long n = info.elements();
    GgmlType type = info.type();
    for (long first = 0; first < n; first += CHUNK) {
      int len = (int) Math.min(CHUNK, n - first);
      data.fill(chunk, len, first);
      int b = 0;
      for (int i = 0; i < len; i++) {
        int bits =
            type == GgmlType.F32
                ? Float.floatToRawIntBits(chunk[i])
                : Float.floatToFloat16(chunk[i]);
        for (int k = 0; k < type.bytes(); k++) {
          bytes[b++] = (byte) (bits >>> (8 * k));
        }
      }
      out.bytes(bytes, 0, b);
      progress.update(out.written(), total);
    }
  }

  private long alignment() {
    GgufValue v = metadata.get(GgufReader.ALIGNMENT_KEY);
    return v == null ? GgufReader.DEFAULT_ALIGNMENT : v.asLong();
  }

  private long dataBytes() {
    if (tensors.isEmpty()) {
      return 0;
    }
    GgufTensorInfo last = layout().getLast();
    return last.offset() + last.byteSize();
  }
}
