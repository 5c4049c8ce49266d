package dev.aiprof.reference.llm.gguf;

/**
 * The elements of one tensor, produced in order in chunks as the writer asks for them, so that a
 * large tensor never has to be held whole.
 */
@FunctionalInterface
public interface TensorData {
  /** Fills {@code chunk[0..length)} with elements {@code first .. first+length-1}. */
  void fill(float[] chunk, int length, long first);

  /** The elements of {@code values}. */
  static TensorData of(float[] values) {
    return (chunk, length, first) -> System.arraycopy(values, (int) first, chunk, 0, length);
  }
}
