package dev.aiprof.reference.llm;

/**
 * One loaded generative model and the state of one sequence: prefill the prompt, then one greedy
 * decode step at a time. Implementations: the pure-Java engine and llama.cpp in a child process.
 *
 * <p>Not thread-safe: one sequence at a time, from one thread. {@link #close()} is idempotent.
 */
public interface Generator extends AutoCloseable {
  /** The engine's name as spans report it, e.g. {@code aiprof-java} or {@code llama.cpp}. */
  String engine();

  /** The model's name as spans report it ({@code gen_ai.request.model}). */
  String model();

  /** The tokenizer stored in the model file. */
  ModelTokenizer tokenizer();

  /** Starts a new sequence: runs every prompt token through the model, returns the first token. */
  int prefill(int[] prompt);

  /** Feeds the last returned token and returns the next (greedy: the highest logit). */
  int decode();

  /** Whether {@code token} ends a sequence (end-of-sequence). */
  boolean isEnd(int token);

  @Override
  void close();
}
