package dev.aiprof.reference.llm.engine;

import dev.aiprof.reference.llm.Generator;
import dev.aiprof.reference.llm.ModelTokenizer;
import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.tokenizer.SpmTokenizer;
import dev.aiprof.reference.llm.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The pure-Java engine ({@value #ENGINE}): loads every weight of a GGUF Llama model into memory
 * when opened, then prefills and decodes greedily on the caller's thread plus {@code threads - 1}
 * named matmul workers. Not thread-safe (one sequence, one caller); {@link #close()} stops the
 * workers and is idempotent.
 */
public final class JavaGenerator implements Generator {
  public static final String ENGINE = "aiprof-java";

  private final LlamaConfig config;
  private final SpmTokenizer tokenizer;
  private final RowPool pool;
  private final Transformer transformer;
  private int position;
  private int last = -1;
  private final int[] step = new int[1];

  private JavaGenerator(
      LlamaConfig config, LlamaWeights weights, SpmTokenizer tokenizer, int threads) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.pool = new RowPool(threads, "aiprof-llm-matmul-");
    this.transformer = new Transformer(config, weights, pool);
  }

  /**
   * Opens {@code gguf}, reading all weights (reported to {@code progress}); {@code threads} >= 1.
   */
  public static JavaGenerator open(Path gguf, int threads, Progress progress) throws IOException {
    GgufFile file = GgufReader.read(gguf);
    LlamaConfig config = LlamaConfig.of(file);
    SpmTokenizer tokenizer = new SpmTokenizer(Vocabulary.readFrom(file));
    LlamaWeights weights = new LlamaWeights(file, config, progress);
    return new JavaGenerator(config, weights, tokenizer, Math.max(1, threads));
  }

  @Override
  public String engine() {
    return ENGINE;
  }

  @Override
  public String model() {
    return config.name();
  }

  @Override
  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  public LlamaConfig config() {
    return config;
  }

  /** Threads a matrix product is split over, this caller's included. */
  public int threads() {
    return pool.threads();
  }

  /** The named matmul worker threads. */
  java.util.List<Thread> workers() {
    return pool.workers();
  }

  @Override
  public int prefill(int[] prompt) {
    if (prompt.length == 0 || prompt.length >= config.context()) {
      throw new IllegalArgumentException(
          "prompt of "
              + prompt.length
              + " tokens: needs 1 to "
              + (config.context() - 1)
              + " (context length "
              + config.context()
              + ")");
    }
    for (int t : prompt) {
      checkToken(t);
    }
    int done = 0;
    while (done < prompt.length) {
      int count = Math.min(Transformer.BATCH, prompt.length - done);
      boolean lastChunk = done + count == prompt.length;
      last = transformer.forward(prompt, done, count, done, lastChunk);
      done += count;
    }
    position = prompt.length;
    return last;
  }

  @Override
  public int decode() {
    if (last < 0) {
      throw new IllegalStateException("decode before prefill: start a sequence with prefill first");
    }
    if (position >= config.context()) {
      throw new IllegalStateException(
          "context of " + config.context() + " tokens is full: start a new sequence");
    }
    step[0] = last;
    last = transformer.forward(step, 0, 1, position, true);
    position++;
    return last;
  }

  /** The logits behind the last returned token (a live view, overwritten by the next step). */
  public float[] lastLogits() {
    return transformer.logits();
  }

  @Override
  public boolean isEnd(int token) {
    return token == tokenizer.vocabulary().eos();
  }

  @Override
  public void close() {
    pool.close();
  }

  private void checkToken(int t) {
    if (t < 0 || t >= config.vocab()) {
      throw new IllegalArgumentException(
          "token " + t + " is outside the vocabulary of " + config.vocab());
    }
  }
}
