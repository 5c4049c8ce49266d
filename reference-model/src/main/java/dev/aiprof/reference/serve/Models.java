package dev.aiprof.reference.serve;

import dev.aiprof.reference.ProgressLine;
import dev.aiprof.reference.llm.Generator;
import java.io.IOException;

/**
 * Where the server gets its generators: the synthetic Llama-architecture GGUF model, written from
 * the seed on first run (progress {@code model-write}), read from disk (progress {@code
 * model-load}), on the engine the settings name.
 */
final class Models {
  private Models() {}

  static Generator open(ServerSettings s, ProgressLine progress) throws IOException {
    throw new UnsupportedOperationException(
        "the generator engines are not merged yet (branch model)");
  }
}
