package dev.aiprof.reference.embed;

import java.util.List;

/**
 * Exact nearest-neighbour search by cosine similarity over embedded passages (vectors are
 * normalised, so cosine is the dot product). Immutable after construction; thread-safe.
 */
public final class Retriever {
  private final List<String> passages;
  private final float[][] vectors;

  /**
   * @param passages the texts
   * @param vectors their normalised embeddings, in the same order
   */
  public Retriever(List<String> passages, float[][] vectors) {
    if (passages.size() != vectors.length) {
      throw new IllegalArgumentException(
          passages.size() + " passages but " + vectors.length + " vectors");
    }
    this.passages = List.copyOf(passages);
    this.vectors = vectors.clone();
  }

  /** One hit: the passage's index, its text and its similarity to the query. */
  public record Hit(int index, String text, double score) {}

  /** The passage most similar to {@code query}. */
  public Hit nearest(float[] query) {
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vectors.length; i++) {
      double s = cosine(query, vectors[i]);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    return new Hit(best, passages.get(best), bestScore);
  }

  public int size() {
    return vectors.length;
  }

  /** Cosine similarity of two vectors of the same length. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
