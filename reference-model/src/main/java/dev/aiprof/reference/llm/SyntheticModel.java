package dev.aiprof.reference.llm;

import dev.aiprof.reference.llm.gguf.GgmlType;
import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufFormatException;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.gguf.GgufValue;
import dev.aiprof.reference.llm.gguf.GgufWriter;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.gguf.TensorData;
import dev.aiprof.reference.llm.tokenizer.TokenType;
import dev.aiprof.reference.llm.tokenizer.Vocabulary;
import dev.aiprof.reference.llm.tokenizer.VocabularyBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A Llama-architecture GGUF model whose weights are drawn from a seed, not trained: honestly
 * labelled in {@code general.name} and {@code general.description} (its text is nonsense). Same
 * seed and shape give the same bytes. Matrices have unit-variance outputs (uniform weights scaled
 * by 1/sqrt(fan-in)); the output rows of control and byte tokens are zero, so greedy decoding only
 * ever emits whole pieces. Stateless; safe from any thread (writes go to a temporary file first).
 */
public final class SyntheticModel {
  /** {@code general.name}: the model name spans report. */
  public static final String NAME = "aiprof-synthetic-llama";

  static final String SEED_KEY = "aiprof.synthetic.seed";
  static final String SHAPE_KEY = "aiprof.synthetic.shape";

  /** The scale of the output logits (their standard deviation): wide greedy margins. */
  static final float LOGIT_SCALE = 4f;

  private SyntheticModel() {}

  /** A model file and whether this call wrote it. */
  public record ModelFile(Path path, boolean created, long bytes, long writeNanos) {}

  /**
   * Writes the model of {@code seed} and {@code shape} to {@code path} unless a file there already
   * holds exactly it; reports bytes written to {@code progress}.
   *
   * @throws IllegalStateException if {@code path} holds a file that is not a synthetic model of
   *     ours
   */
  public static ModelFile writeIfAbsent(Path path, long seed, ModelShape shape, Progress progress)
      throws IOException {
    if (Files.exists(path) && matches(path, seed, shape)) {
      return new ModelFile(path, false, Files.size(path), 0);
    }
    long t0 = System.nanoTime();
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".part");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        layout(seed, shape).write(out, progress);
      }
      readableByAll(tmp); // a temporary file starts as owner-only; a model is no secret
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return new ModelFile(path, true, Files.size(path), System.nanoTime() - t0);
  }

  private static void readableByAll(Path p) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(
          p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static boolean matches(Path path, long seed, ModelShape shape) throws IOException {
    GgufFile f;
    try {
      f = GgufReader.read(path);
    } catch (GgufFormatException | IOException e) {
      throw new IllegalStateException(
          path
              + " exists and is not a GGUF model ("
              + e.getMessage()
              + "): remove it or choose another path");
    }
    GgufValue name = f.metadata().get("general.name");
    if (name == null || !name.asString().equals(NAME)) {
      throw new IllegalStateException(
          path + " holds another model, not " + NAME + ": remove it or choose another path");
    }
    GgufValue s = f.metadata().get(SEED_KEY);
    GgufValue sh = f.metadata().get(SHAPE_KEY);
    return s != null && sh != null && s.asLong() == seed && sh.asString().equals(shape.spec());
  }

  /** The whole file as a writer: metadata, tokenizer and seeded tensors (nothing written yet). */
  public static GgufWriter layout(long seed, ModelShape shape) {
    Vocabulary vocab = VocabularyBuilder.fromEmbeddedText(shape.vocab());
    GgufWriter w = new GgufWriter();
    metadata(w, seed, shape, vocab.size());
    vocab.writeTo(w);
    tensors(w, seed, shape, vocab);
    return w;
  }

  private static void metadata(GgufWriter w, long seed, ModelShape s, int vocabSize) {
    w.put("general.architecture", GgufValue.string("llama"))
        .put("general.name", GgufValue.string(NAME))
        .put(
            "general.description",
            GgufValue.string(
                "Synthetic weights drawn from seed "
                    + seed
                    + " by aiprof, not trained on any data:"
                    + " the text it generates is nonsense. A stand-in with a real model's shape and"
                    + " arithmetic, for profiling."))
        .put("general.file_type", GgufValue.u32(s.type() == GgmlType.F32 ? 0 : 1))
        .put("general.alignment", GgufValue.u32(32))
        .put("llama.context_length", GgufValue.u32(s.context()))
        .put("llama.embedding_length", GgufValue.u32(s.dim()))
        .put("llama.block_count", GgufValue.u32(s.layers()))
        .put("llama.feed_forward_length", GgufValue.u32(s.ffn()))
        .put("llama.attention.head_count", GgufValue.u32(s.heads()))
        .put("llama.attention.head_count_kv", GgufValue.u32(s.kvHeads()))
        .put("llama.rope.dimension_count", GgufValue.u32(s.headDim()))
        .put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(1e-5))
        .put("llama.rope.freq_base", GgufValue.f32(10000))
        .put("llama.vocab_size", GgufValue.u32(vocabSize))
        .put(SEED_KEY, GgufValue.u64(seed))
        .put(SHAPE_KEY, GgufValue.string(s.spec()));
  }

  private static void tensors(GgufWriter w, long seed, ModelShape s, Vocabulary vocab) {
    int d = s.dim();
    int kv = s.kvHeads() * s.headDim();
    GgmlType t = s.type();
    w.tensor("token_embd.weight", t, dims(d, vocab.size()), uniform(seed, "token_embd", 1f));
    for (int l = 0; l < s.layers(); l++) {
      String b = "blk." + l + ".";
      w.tensor(b + "attn_norm.weight", GgmlType.F32, dims(d), norm(seed, b + "attn_norm"));
      w.tensor(b + "attn_q.weight", t, dims(d, d), linear(seed, b + "attn_q", d));
      w.tensor(b + "attn_k.weight", t, dims(d, kv), linear(seed, b + "attn_k", d));
      w.tensor(b + "attn_v.weight", t, dims(d, kv), linear(seed, b + "attn_v", d));
      w.tensor(b + "attn_output.weight", t, dims(d, d), linear(seed, b + "attn_output", d));
      w.tensor(b + "ffn_norm.weight", GgmlType.F32, dims(d), norm(seed, b + "ffn_norm"));
      w.tensor(b + "ffn_gate.weight", t, dims(d, s.ffn()), linear(seed, b + "ffn_gate", d));
      w.tensor(b + "ffn_up.weight", t, dims(d, s.ffn()), linear(seed, b + "ffn_up", d));
      w.tensor(b + "ffn_down.weight", t, dims(s.ffn(), d), linear(seed, b + "ffn_down", s.ffn()));
    }
    w.tensor("output_norm.weight", GgmlType.F32, dims(d), norm(seed, "output_norm"));
    w.tensor("output.weight", t, dims(d, vocab.size()), output(seed, d, vocab));
  }

  private static long[] dims(long... ne) {
    return ne;
  }

  /**
   * Uniform weights with standard deviation {@code std}, drawn in order from the tensor's seed (the
   * writer asks for chunks in order; a request from element 0 starts the sequence again).
   */
  private static TensorData uniform(long seed, String tensor, float std) {
    long tensorSeed = new SplitMix64(seed ^ tensor.hashCode()).next();
    SplitMix64[] rng = {null};
    float a = (float) (std * Math.sqrt(3));
    return (chunk, length, first) -> {
      if (first == 0) {
        rng[0] = new SplitMix64(tensorSeed);
      }
      for (int i = 0; i < length; i++) {
        chunk[i] = rng[0].uniform() * a;
      }
    };
  }

  private static TensorData linear(long seed, String tensor, int fanIn) {
    return uniform(seed, tensor, (float) (1 / Math.sqrt(fanIn)));
  }

  /** RMSNorm gains around 1. */
  private static TensorData norm(long seed, String tensor) {
    TensorData u = uniform(seed, tensor, 0.1f);
    return (chunk, length, first) -> {
      u.fill(chunk, length, first);
      for (int i = 0; i < length; i++) {
        chunk[i] += 1f;
      }
    };
  }

  /** The output projection: zero rows for tokens that are not normal pieces. */
  private static TensorData output(long seed, int dim, Vocabulary vocab) {
    TensorData u = uniform(seed, "output", (float) (LOGIT_SCALE / Math.sqrt(dim)));
    return (chunk, length, first) -> {
      u.fill(chunk, length, first);
      for (int i = 0; i < length; i++) {
        if (vocab.type((int) ((first + i) / dim)) != TokenType.NORMAL) {
          chunk[i] = 0f;
        }
      }
    };
  }
}
