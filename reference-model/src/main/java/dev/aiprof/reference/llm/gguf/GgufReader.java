package dev.aiprof.reference.llm.gguf;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/** Reads the header of a GGUF v3 file: metadata and tensor infos (not the tensor data). */
public final class GgufReader {
  /** "GGUF" as a little-endian uint32. */
  static final long MAGIC = 0x46554747L;

  static final long VERSION = 3;
  static final long DEFAULT_ALIGNMENT = 32;
  static final String ALIGNMENT_KEY = "general.alignment";

  /** Bounds against a corrupt header. */
  static final long MAX_TENSORS = 1 << 16;

  static final long MAX_KV = 1 << 16;

  private GgufReader() {}

  /** Reads the header of {@code path}; a {@link GgufFormatException} says what is wrong. */
  public static GgufFile read(Path path) throws IOException {
    try (InputStream s = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
      return read(path, new LittleEndianIn(s));
    }
  }

  private static GgufFile read(Path path, LittleEndianIn in) throws IOException {
    long magic = in.u32();
    if (magic != MAGIC) {
      throw new GgufFormatException(
          path + " is not a GGUF file (magic " + Long.toHexString(magic) + ")");
    }
    long version = in.u32();
    if (version != VERSION) {
      throw new GgufFormatException(path + " is GGUF version " + version + "; only 3 is read");
    }
    long tensorCount = in.u64();
    long kvCount = in.u64();
    if (tensorCount < 0 || tensorCount > MAX_TENSORS || kvCount < 0 || kvCount > MAX_KV) {
      throw new GgufFormatException(
          path + " header is corrupt: " + tensorCount + " tensors, " + kvCount + " keys");
    }
    SequencedMap<String, GgufValue> metadata = new LinkedHashMap<>();
    for (long i = 0; i < kvCount; i++) {
      String key = in.string();
      metadata.put(key, GgufValueCodec.read(in));
    }
    List<GgufTensorInfo> tensors = new ArrayList<>();
    for (long i = 0; i < tensorCount; i++) {
      tensors.add(tensorInfo(in));
    }
    long alignment = alignment(path, metadata);
    long dataStart = align(in.position(), alignment);
    return new GgufFile(path, version, metadata, tensors, alignment, dataStart);
  }

  private static GgufTensorInfo tensorInfo(LittleEndianIn in) throws IOException {
    String name = in.string();
    long nDims = in.u32();
    if (nDims < 1 || nDims > 4) {
      throw new GgufFormatException("tensor " + name + " has " + nDims + " dimensions");
    }
    long[] dims = new long[(int) nDims];
    for (int d = 0; d < nDims; d++) {
      dims[d] = in.u64();
    }
    GgmlType type = GgmlType.of(in.u32());
    return new GgufTensorInfo(name, dims, type, in.u64());
  }

  private static long alignment(Path path, SequencedMap<String, GgufValue> metadata) {
    GgufValue v = metadata.get(ALIGNMENT_KEY);
    long a = v == null ? DEFAULT_ALIGNMENT : v.asLong();
    if (a <= 0 || Long.bitCount(a) != 1) {
      throw new GgufFormatException(
          path + ": " + ALIGNMENT_KEY + "=" + a + " is not a power of two");
    }
    return a;
  }

  static long align(long offset, long alignment) {
    return (offset + alignment - 1) / alignment * alignment;
  }
}
