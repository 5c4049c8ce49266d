package dev.aiprof.reference.llm.tokenizer;

/** A token's kind as {@code tokenizer.ggml.token_type} stores it (llama.cpp's numbering). */
public enum TokenType {
  NORMAL(1),
  UNKNOWN(2),
  CONTROL(3),
  USER_DEFINED(4),
  UNUSED(5),
  BYTE(6);

  private final int code;

  TokenType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TokenType of(int code) {
    for (TokenType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown token type " + code);
  }
}
