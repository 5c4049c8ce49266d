package dev.aiprof.reference.llm.llamacpp;

import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.llm.gguf.Progress;
import java.io.IOException;
import java.nio.file.Path;

/** Placeholder until the child process lands. */
public final class LlamaCppGenerator {
  private LlamaCppGenerator() {}

  public static Generator start(Path gguf, int threads, Progress progress) throws IOException {
    throw new IOException("the llama.cpp engine is not built yet");
  }
}
