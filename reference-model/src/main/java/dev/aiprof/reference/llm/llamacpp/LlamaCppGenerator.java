package dev.aiprof.reference.llm.llamacpp;

import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.llm.ModelTokenizer;
import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.tokenizer.SpmTokenizer;
import dev.aiprof.reference.llm.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The llama.cpp engine ({@value #ENGINE}): a child JVM ({@link LlamaCppChild}) loads the model with
 * de.kherud:llama and computes each step; this parent side forwards {@link #prefill} and {@link
 * #decode} over the {@link Protocol}. The tokenizer is ours, read from the same file (it segments
 * as llama.cpp does; {@link #llamaCppEncode} asks the child for llama.cpp's own). Not thread-safe;
 * {@link #close()} ends the child and is idempotent.
 */
public final class LlamaCppGenerator implements Generator {
  public static final String ENGINE = "llama.cpp";

  /** Longest wait for the child to load the model. */
  static final Duration LOAD_TIMEOUT = Duration.ofSeconds(120);

  /** Longest wait for one step (a whole prompt, or one token). */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  private final String model;
  private final SpmTokenizer tokenizer;
  private final ChildProcess child;
  private boolean started;

  private LlamaCppGenerator(String model, SpmTokenizer tokenizer, ChildProcess child) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.child = child;
  }

  /**
   * Starts the child on {@code gguf} with {@code threads} threads and waits until the model is
   * loaded; {@code progress} hears 0 at the start and the file size when loaded.
   *
   * @throws IOException when de.kherud:llama is not on the class path or the child fails to load
   */
  public static LlamaCppGenerator start(Path gguf, int threads, Progress progress)
      throws IOException {
    requireLibrary();
    GgufFile file = GgufReader.read(gguf);
    SpmTokenizer tokenizer = new SpmTokenizer(Vocabulary.readFrom(file));
    var name = file.metadata().get("general.name");
    long size = java.nio.file.Files.size(gguf);
    progress.update(0, size);
    ChildProcess child =
        new ChildProcess(command(gguf, threads, file.get("llama.context_length").asInt()));
    String ready;
    try {
      ready = child.call(null, LOAD_TIMEOUT);
    } catch (IOException e) {
      child.close();
      throw e;
    }
    if (!ready.startsWith(Protocol.READY)) {
      child.close();
      throw new IOException(
          "llama.cpp could not load " + gguf + ": " + ready + "; stderr: " + child.stderrTail());
    }
    progress.update(size, size);
    return new LlamaCppGenerator(
        name == null ? gguf.getFileName().toString() : name.asString(), tokenizer, child);
  }

  private static void requireLibrary() throws IOException {
    try {
      Class.forName("de.kherud.llama.LlamaModel", false, LlamaCppGenerator.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IOException(
          "the llama.cpp engine needs de.kherud:llama on the class path; use the java engine or add the jar");
    }
  }

  private static List<String> command(Path gguf, int threads, int context) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LlamaCppChild.class.getName());
    cmd.add(gguf.toAbsolutePath().toString());
    cmd.add(Integer.toString(threads));
    cmd.add(Integer.toString(context));
    return cmd;
  }

  @Override
  public String engine() {
    return ENGINE;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  /** The child's process id (its threads are llama.cpp's). */
  public long childPid() {
    return child.pid();
  }

  @Override
  public int prefill(int[] prompt) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("an empty prompt: needs at least the BOS token");
    }
    int t = token(call(Protocol.PREFILL + " " + Protocol.ids(prompt)));
    started = true;
    return t;
  }

  @Override
  public int decode() {
    if (!started) {
      throw new IllegalStateException("decode before prefill: start a sequence with prefill first");
    }
    return token(call(Protocol.DECODE));
  }

  /** llama.cpp's own tokenization of {@code text} (no BOS), to check ours against it. */
  public int[] llamaCppEncode(String text) {
    String b64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    String answer = call(Protocol.ENCODE + " " + b64);
    if (!answer.startsWith(Protocol.TOKENS)) {
      throw new IllegalStateException("llama.cpp: " + answer);
    }
    return Protocol.parseIds(answer.substring(Protocol.TOKENS.length()).trim());
  }

  @Override
  public boolean isEnd(int token) {
    return token == tokenizer.vocabulary().eos();
  }

  @Override
  public void close() {
    child.close();
  }

  private String call(String request) {
    try {
      return child.call(request, STEP_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int token(String answer) {
    if (!answer.startsWith(Protocol.TOKEN + " ")) {
      throw new IllegalStateException("llama.cpp: " + answer);
    }
    return Integer.parseInt(answer.substring(Protocol.TOKEN.length() + 1).trim());
  }
}
