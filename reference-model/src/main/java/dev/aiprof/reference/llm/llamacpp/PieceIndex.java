package dev.aiprof.reference.llm.llamacpp;

import dev.aiprof.reference.llm.tokenizer.TokenType;
import dev.aiprof.reference.llm.tokenizer.Vocabulary;
import java.util.HashMap;
import java.util.Map;

/**
 * Maps the text llama.cpp returns for one generated token back to the token's id. de.kherud's API
 * returns text, not ids; the text of a normal piece ({@code ▁} read as a space) is unique in the
 * vocabulary, and the synthetic model gives byte and control tokens zero output rows, so they are
 * never generated. An empty text is end-of-sequence. Immutable.
 */
final class PieceIndex {
  private final Map<String, Integer> ids = new HashMap<>();
  private final int eos;

  PieceIndex(Vocabulary v) {
    eos = v.eos();
    for (int i = 0; i < v.size(); i++) {
      if (v.type(i) == TokenType.NORMAL) {
        String text = v.piece(i).replace(Vocabulary.SPACE, " ");
        if (ids.putIfAbsent(text, i) != null) {
          throw new IllegalStateException("two normal pieces read as '" + text + "'");
        }
      }
    }
  }

  /** The id of the token whose text is {@code text}. */
  int id(String text) {
    if (text.isEmpty()) {
      return eos;
    }
    Integer id = ids.get(text);
    if (id == null) {
      throw new IllegalStateException(
          "llama.cpp generated '" + text + "', which is no single normal piece of the vocabulary");
    }
    return id;
  }
}
