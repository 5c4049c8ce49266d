package dev.aiprof.reference.llm.tokenizer;

import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufValue;
import dev.aiprof.reference.llm.gguf.GgufValueType;
import dev.aiprof.reference.llm.gguf.GgufWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece-style vocabulary: pieces ({@code ▁} for a space), scores, types and the special
 * ids, as the {@code tokenizer.ggml.*} keys of a GGUF file hold them. Immutable.
 */
public final class Vocabulary {
  /** The escaped space of SentencePiece pieces. */
  public static final String SPACE = "\u2581";

  private final List<String> pieces;
  private final float[] scores;
  private final TokenType[] types;
  private final Map<String, Integer> ids = new HashMap<>();
  private final int bos;
  private final int eos;
  private final int unk;

  public Vocabulary(
      List<String> pieces, float[] scores, TokenType[] types, int bos, int eos, int unk) {
    if (pieces.size() != scores.length || pieces.size() != types.length) {
      throw new IllegalArgumentException("pieces, scores and types differ in length");
    }
    this.pieces = List.copyOf(pieces);
    this.scores = scores.clone();
    this.types = types.clone();
    this.bos = bos;
    this.eos = eos;
    this.unk = unk;
    for (int i = 0; i < pieces.size(); i++) {
      if (ids.putIfAbsent(pieces.get(i), i) != null) {
        throw new IllegalArgumentException("piece " + pieces.get(i) + " occurs twice");
      }
    }
  }

  public int size() {
    return pieces.size();
  }

  public String piece(int id) {
    return pieces.get(id);
  }

  public float score(int id) {
    return scores[id];
  }

  public TokenType type(int id) {
    return types[id];
  }

  /** The id of {@code piece}, or -1. */
  public int id(String piece) {
    return ids.getOrDefault(piece, -1);
  }

  public int bos() {
    return bos;
  }

  public int eos() {
    return eos;
  }

  public int unk() {
    return unk;
  }

  /** The byte-fallback token of {@code b} ({@code <0xAB>}), as llama.cpp looks it up. */
  public int byteToken(int b) {
    int id = id(String.format("<0x%02X>", b & 0xff));
    if (id < 0) {
      id = id(String.valueOf((char) (b & 0xff)));
    }
    if (id < 0) {
      throw new IllegalStateException("vocabulary has no token for byte " + (b & 0xff));
    }
    return id;
  }

  /** Adds the {@code tokenizer.ggml.*} keys that llama.cpp reads for an SPM vocabulary. */
  public void writeTo(GgufWriter w) {
    List<Double> s = new ArrayList<>();
    List<Long> t = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      s.add((double) scores[i]);
      t.add((long) types[i].code());
    }
    w.put("tokenizer.ggml.model", GgufValue.string("llama"))
        .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, pieces))
        .put("tokenizer.ggml.scores", GgufValue.array(GgufValueType.FLOAT32, s))
        .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32, t))
        .put("tokenizer.ggml.bos_token_id", GgufValue.u32(bos))
        .put("tokenizer.ggml.eos_token_id", GgufValue.u32(eos))
        .put("tokenizer.ggml.unknown_token_id", GgufValue.u32(unk))
        .put("tokenizer.ggml.add_bos_token", GgufValue.bool(true))
        .put("tokenizer.ggml.add_eos_token", GgufValue.bool(false))
        .put("tokenizer.ggml.add_space_prefix", GgufValue.bool(true));
  }

  /** The vocabulary of {@code file}; a clear error if it is not an SPM ({@code llama}) one. */
  public static Vocabulary readFrom(GgufFile file) {
    String model = file.get("tokenizer.ggml.model").asString();
    if (!model.equals("llama")) {
      throw new IllegalArgumentException(
          file.path() + ": tokenizer.ggml.model=" + model + "; only llama (SPM) is implemented");
    }
    List<?> p = file.get("tokenizer.ggml.tokens").asList();
    List<?> s = file.get("tokenizer.ggml.scores").asList();
    List<?> t = file.get("tokenizer.ggml.token_type").asList();
    List<String> pieces = new ArrayList<>();
    float[] scores = new float[p.size()];
    TokenType[] types = new TokenType[p.size()];
    for (int i = 0; i < p.size(); i++) {
      pieces.add((String) p.get(i));
      scores[i] = ((Double) s.get(i)).floatValue();
      types[i] = TokenType.of((int) (long) (Long) t.get(i));
    }
    return new Vocabulary(
        pieces,
        scores,
        types,
        file.get("tokenizer.ggml.bos_token_id").asInt(),
        file.get("tokenizer.ggml.eos_token_id").asInt(),
        file.get("tokenizer.ggml.unknown_token_id").asInt());
  }
}
