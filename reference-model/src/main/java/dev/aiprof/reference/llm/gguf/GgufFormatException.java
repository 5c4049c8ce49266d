package dev.aiprof.reference.llm.gguf;

/** A file that is not valid GGUF (or uses a part of GGUF this reader does not implement). */
public final class GgufFormatException extends RuntimeException {
  public GgufFormatException(String message) {
    super(message);
  }
}
