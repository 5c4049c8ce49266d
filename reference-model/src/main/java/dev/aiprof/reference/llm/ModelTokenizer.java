package dev.aiprof.reference.llm;

/** The tokenizer a model file carries: text to token ids and back. Thread-safe. */
public interface ModelTokenizer {
  /** Token ids of {@code text}, with the beginning-of-sequence token first. */
  int[] encode(String text);

  /** The text of {@code tokens} (special tokens omitted). */
  String decode(int[] tokens);
}
