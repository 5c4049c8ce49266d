package dev.aiprof.reference.llm.gguf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The header of a GGUF file as read: version, metadata in file order, tensor infos, alignment and
 * the absolute offset of the data section. Immutable; tensor data is read with {@link
 * TensorReader}.
 */
public record GgufFile(
    Path path,
    long version,
    SequencedMap<String, GgufValue> metadata,
    List<GgufTensorInfo> tensors,
    long alignment,
    long dataStart) {
  public GgufFile {
    metadata = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(metadata));
    tensors = List.copyOf(tensors);
  }

  /** The value of {@code key}, or a clear error naming the key and the file. */
  public GgufValue get(String key) {
    GgufValue v = metadata.get(key);
    if (v == null) {
      throw new GgufFormatException(path + " has no metadata key " + key);
    }
    return v;
  }

  /** The tensor named {@code name}, or a clear error. */
  public GgufTensorInfo tensor(String name) {
    for (GgufTensorInfo t : tensors) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new GgufFormatException(path + " has no tensor " + name);
  }

  /** Bytes of tensor data in total. */
  public long dataBytes() {
    long n = 0;
    for (GgufTensorInfo t : tensors) {
      n += t.byteSize();
    }
    return n;
  }
}
