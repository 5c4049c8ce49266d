package dev.aiprof.reference.llm.engine;

/**
 * The element-wise and reduction kernels of the forward pass, as llama.cpp's CPU ops compute them.
 */
final class Ops {
  private Ops() {}

  /**
   * {@code w[row]·x} over {@code n} columns, with four partial sums for instruction parallelism.
   */
  static float dot(float[] w, int off, float[] x, int xOff, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += w[off + i] * x[xOff + i];
      s1 += w[off + i + 1] * x[xOff + i + 1];
      s2 += w[off + i + 2] * x[xOff + i + 2];
      s3 += w[off + i + 3] * x[xOff + i + 3];
    }
    for (; i < n; i++) {
      s0 += w[off + i] * x[xOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code out[from..to) = W[from..to)·x} for W row-major with {@code n} columns. */
  static void matmulRows(float[] out, float[] w, float[] x, int n, int from, int to) {
    for (int r = from; r < to; r++) {
      out[r] = dot(w, r * n, x, 0, n);
    }
  }

  /**
   * RMSNorm of {@code x[xOff..xOff+n)} into {@code out[outOff..]}: {@code x / sqrt(mean(x²) + eps)
   * * gain}, the sum in double as ggml does.
   */
  static void rmsNorm(
      float[] out, int outOff, float[] x, int xOff, int n, float[] gain, float eps) {
    double ss = 0;
    for (int i = 0; i < n; i++) {
      ss += (double) x[xOff + i] * x[xOff + i];
    }
    float scale = (float) (1.0 / Math.sqrt((float) (ss / n) + eps));
    for (int i = 0; i < n; i++) {
      out[outOff + i] = x[xOff + i] * scale * gain[i];
    }
  }

  /** Rotates adjacent pairs {@code (v[2i], v[2i+1])} of one head by the angles of {@code pos}. */
  static void rope(float[] v, int off, int headDim, float[] cos, float[] sin, int pos) {
    int t = pos * (headDim / 2);
    for (int i = 0; i < headDim; i += 2) {
      float c = cos[t + i / 2];
      float s = sin[t + i / 2];
      float x0 = v[off + i];
      float x1 = v[off + i + 1];
      v[off + i] = x0 * c - x1 * s;
      v[off + i + 1] = x0 * s + x1 * c;
    }
  }

  /** In-place softmax of {@code v[0..n)}. */
  static void softmax(float[] v, int off, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, v[off + i]);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float e = (float) Math.exp(v[off + i] - max);
      v[off + i] = e;
      sum += e;
    }
    float inv = (float) (1.0 / sum);
    for (int i = 0; i < n; i++) {
      v[off + i] *= inv;
    }
  }

  static float silu(float x) {
    return x / (1f + (float) Math.exp(-x));
  }

  /** Index of the highest value (the first one on a tie). */
  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
