package dev.aiprof.reference.llm;

import dev.aiprof.reference.llm.gguf.GgmlType;
import java.util.Locale;

/**
 * The size of a synthetic Llama model: embedding width, layers, attention heads (query and
 * key/value: grouped-query attention when fewer), feed-forward width, the most vocabulary tokens,
 * context length and the weight type. Immutable.
 *
 * @param dim embedding width ({@code llama.embedding_length})
 * @param layers transformer blocks ({@code llama.block_count})
 * @param heads query heads ({@code llama.attention.head_count})
 * @param kvHeads key/value heads ({@code llama.attention.head_count_kv}); divides {@code heads}
 * @param ffn feed-forward width ({@code llama.feed_forward_length})
 * @param vocab the most vocabulary tokens (the embedded text may give fewer)
 * @param context context length in tokens ({@code llama.context_length})
 * @param type weight type of the matrices (norms are always F32)
 */
public record ModelShape(
    int dim, int layers, int heads, int kvHeads, int ffn, int vocab, int context, GgmlType type) {

  /**
   * The demo's model: 14.4 M parameters, 57 MB in F32; on 2 cores ~100 prompt tokens and ~130
   * decode steps take a few seconds in the pure-Java engine.
   */
  public static final ModelShape DEFAULT =
      new ModelShape(384, 8, 6, 2, 1024, 1024, 512, GgmlType.F32);

  /** A tiny model for tests: ~0.2 M parameters, under a megabyte. */
  public static final ModelShape TINY = new ModelShape(64, 2, 4, 2, 128, 512, 128, GgmlType.F32);

  public ModelShape {
    positive("dim", dim);
    positive("layers", layers);
    positive("heads", heads);
    positive("kv_heads", kvHeads);
    positive("ffn", ffn);
    positive("context", context);
    if (dim % heads != 0 || (dim / heads) % 2 != 0) {
      throw new IllegalArgumentException(
          "model shape: dim=" + dim + " must split into " + heads + " heads of even width");
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException(
          "model shape: heads=" + heads + " must be a multiple of kv_heads=" + kvHeads);
    }
    if (vocab < 354) {
      throw new IllegalArgumentException(
          "model shape: vocab="
              + vocab
              + " is below the 354 fixed tokens (specials, bytes, ASCII)");
    }
  }

  /** Width of one attention head. */
  public int headDim() {
    return dim / heads;
  }

  /**
   * {@code DEFAULT} with the fields named in {@code spec} replaced, e.g. {@code
   * "dim=512,layers=12,type=f16"}; keys: dim, layers, heads, kv_heads, ffn, vocab, context, type.
   */
  public static ModelShape parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return DEFAULT;
    }
    int[] v = {
      DEFAULT.dim,
      DEFAULT.layers,
      DEFAULT.heads,
      DEFAULT.kvHeads,
      DEFAULT.ffn,
      DEFAULT.vocab,
      DEFAULT.context
    };
    GgmlType type = DEFAULT.type;
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("model shape: '" + part + "' is not key=value");
      }
      String key = kv[0].trim().toLowerCase(Locale.ROOT);
      String value = kv[1].trim();
      if (key.equals("type")) {
        type = type(value);
      } else {
        v[index(key)] = number(key, value);
      }
    }
    return new ModelShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], type);
  }

  private static final java.util.List<String> KEYS =
      java.util.List.of("dim", "layers", "heads", "kv_heads", "ffn", "vocab", "context");

  private static int index(String key) {
    int i = KEYS.indexOf(key);
    if (i < 0) {
      throw new IllegalArgumentException(
          "model shape: unknown key " + key + " (keys: " + String.join(", ", KEYS) + ", type)");
    }
    return i;
  }

  private static int number(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("model shape: " + key + "=" + value + " is not a number");
    }
  }

  private static GgmlType type(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "f32" -> GgmlType.F32;
      case "f16" -> GgmlType.F16;
      default ->
          throw new IllegalArgumentException("model shape: type=" + value + " is not f32 or f16");
    };
  }

  /** The spec that {@link #parse} turns back into this shape. */
  public String spec() {
    return "dim=%d,layers=%d,heads=%d,kv_heads=%d,ffn=%d,vocab=%d,context=%d,type=%s"
        .formatted(
            dim, layers, heads, kvHeads, ffn, vocab, context, type.name().toLowerCase(Locale.ROOT));
  }

  private static void positive(String key, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException("model shape: " + key + "=" + v + " must be positive");
    }
  }
}
