package dev.aiprof.reference.llm;

import dev.aiprof.reference.llm.engine.JavaGenerator;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.llamacpp.LlamaCppGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Opens a {@link Generator} on a GGUF file with a named engine. Stateless. */
public final class Generators {
  /** The pure-Java engine, the default. */
  public static final String JAVA = "java";

  /** llama.cpp ({@code de.kherud:llama}) in a child JVM. */
  public static final String LLAMA_CPP = "llama.cpp";

  /** The engine names {@link #open} accepts. */
  public static final List<String> ENGINES = List.of(JAVA, LLAMA_CPP);

  private Generators() {}

  /** {@link #open(Path, String, Progress)} without progress reports. */
  public static Generator open(Path gguf, String engine) throws IOException {
    return open(gguf, engine, Progress.NONE);
  }

  /**
   * Loads {@code gguf} into a new generator. {@code engine} is {@value #JAVA} (also when null or
   * blank) or {@value #LLAMA_CPP}; both use every available core. The Java engine reports load
   * progress in bytes; llama.cpp loads in its child process and reports only the end.
   *
   * @throws IllegalArgumentException for an unknown engine name (the message lists the known ones)
   * @throws IOException when the file cannot be read or the llama.cpp child does not start
   */
  public static Generator open(Path gguf, String engine, Progress progress) throws IOException {
    String e = engine == null || engine.isBlank() ? JAVA : engine.trim().toLowerCase(Locale.ROOT);
    if (!ENGINES.contains(e)) {
      throw new IllegalArgumentException(
          "unknown generator engine '" + engine + "': choose one of " + ENGINES);
    }
    if (!java.nio.file.Files.isRegularFile(gguf)) {
      throw new java.nio.file.NoSuchFileException(
          gguf.toString(), null, "no model file: write it first (SyntheticModel.writeIfAbsent)");
    }
    int threads = Runtime.getRuntime().availableProcessors();
    return switch (e) {
      case JAVA -> JavaGenerator.open(gguf, threads, progress);
      case LLAMA_CPP -> LlamaCppGenerator.start(gguf, threads, progress);
      default ->
          throw new IllegalArgumentException(
              "unknown generator engine '" + engine + "': choose one of " + ENGINES);
    };
  }
}
