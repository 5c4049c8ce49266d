package dev.aiprof.reference.llm.gguf;

/**
 * Told how far a long file operation (writing or loading a model) has come, in bytes. Called from
 * the thread doing the work, often (every few hundred kilobytes): keep it cheap.
 */
@FunctionalInterface
public interface Progress {
  /** Does nothing. */
  Progress NONE = (done, total) -> {};

  /** {@code done} of {@code total} bytes are through. */
  void update(long done, long total);
}
