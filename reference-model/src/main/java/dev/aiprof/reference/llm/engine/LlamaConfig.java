package dev.aiprof.reference.llm.engine;

import dev.aiprof.reference.llm.gguf.GgufFile;

/** The hyper-parameters of a Llama model as its GGUF {@code llama.*} keys state them. */
public record LlamaConfig(
    String name,
    int dim,
    int layers,
    int heads,
    int kvHeads,
    int ffn,
    int vocab,
    int context,
    float rmsEps,
    float ropeBase) {

  public int headDim() {
    return dim / heads;
  }

  public int kvDim() {
    return kvHeads * headDim();
  }

  /** The config of {@code f}; a clear error naming the key when one is missing or unsupported. */
  public static LlamaConfig of(GgufFile f) {
    String arch = f.get("general.architecture").asString();
    if (!arch.equals("llama")) {
      throw new IllegalArgumentException(
          f.path() + ": general.architecture=" + arch + "; the Java engine runs llama only");
    }
    int heads = f.get("llama.attention.head_count").asInt();
    var kv = f.metadata().get("llama.attention.head_count_kv");
    var base = f.metadata().get("llama.rope.freq_base");
    var name = f.metadata().get("general.name");
    LlamaConfig c =
        new LlamaConfig(
            name == null ? f.path().getFileName().toString() : name.asString(),
            f.get("llama.embedding_length").asInt(),
            f.get("llama.block_count").asInt(),
            heads,
            kv == null ? heads : kv.asInt(),
            f.get("llama.feed_forward_length").asInt(),
            f.get("tokenizer.ggml.tokens").asList().size(),
            f.get("llama.context_length").asInt(),
            f.get("llama.attention.layer_norm_rms_epsilon").asFloat(),
            base == null ? 10000f : base.asFloat());
    var rope = f.metadata().get("llama.rope.dimension_count");
    if (rope != null && rope.asInt() != c.headDim()) {
      throw new IllegalArgumentException(
          f.path()
              + ": llama.rope.dimension_count="
              + rope.asInt()
              + " (partial rotary) is not supported; the engine rotates whole heads of "
              + c.headDim());
    }
    return c;
  }
}
