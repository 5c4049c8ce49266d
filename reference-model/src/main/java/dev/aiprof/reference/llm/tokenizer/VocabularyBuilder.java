package dev.aiprof.reference.llm.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a vocabulary from an English text by byte-pair merges: {@code <unk> <s> </s>}, the 256
 * byte-fallback tokens, {@code ▁} and printable ASCII, then the most frequent adjacent pairs within
 * words, each merge scored below the one before (so SPM segmentation prefers earlier merges).
 * Deterministic: the same text and size give the same vocabulary.
 */
public final class VocabularyBuilder {
  /** The embedded text the default vocabulary is built from. */
  static final String CORPUS = "/dev/aiprof/reference/llm/vocabulary-corpus.txt";

  public static final int UNK = 0;
  public static final int BOS = 1;
  public static final int EOS = 2;

  private final List<String> pieces = new ArrayList<>();
  private final List<Float> scores = new ArrayList<>();
  private final List<TokenType> types = new ArrayList<>();
  private final Map<String, Integer> index = new HashMap<>();

  private VocabularyBuilder() {}

  /** The vocabulary of at most {@code maxSize} tokens from the embedded text. */
  public static Vocabulary fromEmbeddedText(int maxSize) {
    return fromText(embeddedText(), maxSize);
  }

  /** The vocabulary of at most {@code maxSize} tokens (at least the 354 fixed ones) from text. */
  public static Vocabulary fromText(String text, int maxSize) {
    VocabularyBuilder b = new VocabularyBuilder();
    b.fixedTokens();
    if (maxSize < b.pieces.size()) {
      throw new IllegalArgumentException(
          "vocabulary size " + maxSize + " is below the " + b.pieces.size() + " fixed tokens");
    }
    b.merges(words(text), maxSize);
    float[] s = new float[b.scores.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = b.scores.get(i);
    }
    return new Vocabulary(b.pieces, s, b.types.toArray(TokenType[]::new), BOS, EOS, UNK);
  }

  private void fixedTokens() {
    add("<unk>", 0, TokenType.UNKNOWN);
    add("<s>", 0, TokenType.CONTROL);
    add("</s>", 0, TokenType.CONTROL);
    for (int b = 0; b < 256; b++) {
      add(String.format("<0x%02X>", b), 0, TokenType.BYTE);
    }
    add(Vocabulary.SPACE, -1, TokenType.NORMAL);
    for (char c = 0x21; c < 0x7f; c++) {
      add(String.valueOf(c), -1, TokenType.NORMAL);
    }
  }

  private void merges(Map<List<String>, Integer> words, int maxSize) {
    List<String[]> split = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    words.forEach(
        (w, n) -> {
          split.add(w.toArray(String[]::new));
          counts.add(n);
        });
    int merge = 0;
    while (pieces.size() < maxSize) {
      String[] best = bestPair(split, counts);
      if (best == null) {
        return;
      }
      String merged = best[0] + best[1];
      if (!index.containsKey(merged)) {
        add(merged, -2 - merge++, TokenType.NORMAL);
      }
      for (int i = 0; i < split.size(); i++) {
        split.set(i, apply(split.get(i), best[0], best[1]));
      }
    }
  }

  /** The most frequent adjacent pair, ties to the lexicographically smallest; null if none. */
  private static String[] bestPair(List<String[]> split, List<Integer> counts) {
    Map<String, Integer> pairs = new TreeMap<>();
    for (int i = 0; i < split.size(); i++) {
      String[] w = split.get(i);
      for (int k = 0; k + 1 < w.length; k++) {
        pairs.merge(w[k] + '\0' + w[k + 1], counts.get(i), Integer::sum);
      }
    }
    String best = null;
    int bestCount = 0;
    for (var e : pairs.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best == null ? null : best.split("\0", 2);
  }

  private static String[] apply(String[] w, String left, String right) {
    List<String> out = new ArrayList<>(w.length);
    for (int k = 0; k < w.length; k++) {
      if (k + 1 < w.length && w[k].equals(left) && w[k + 1].equals(right)) {
        out.add(left + right);
        k++;
      } else {
        out.add(w[k]);
      }
    }
    return out.size() == w.length ? w : out.toArray(String[]::new);
  }

  /** Words of printable ASCII, each as its characters with {@code ▁} first, and their counts. */
  private static Map<List<String>, Integer> words(String text) {
    Map<List<String>, Integer> words = new TreeMap<>(VocabularyBuilder::compare);
    for (String w : text.split("\\s+")) {
      if (w.isEmpty() || !w.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        continue;
      }
      List<String> chars = new ArrayList<>();
      chars.add(Vocabulary.SPACE);
      w.chars().forEach(c -> chars.add(String.valueOf((char) c)));
      words.merge(chars, 1, Integer::sum);
    }
    return words;
  }

  private static int compare(List<String> a, List<String> b) {
    return Arrays.compare(a.toArray(String[]::new), b.toArray(String[]::new));
  }

  private void add(String piece, float score, TokenType type) {
    index.put(piece, pieces.size());
    pieces.add(piece);
    scores.add(score);
    types.add(type);
  }

  static String embeddedText() {
    try (InputStream in = VocabularyBuilder.class.getResourceAsStream(CORPUS)) {
      if (in == null) {
        throw new IllegalStateException("resource " + CORPUS + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
