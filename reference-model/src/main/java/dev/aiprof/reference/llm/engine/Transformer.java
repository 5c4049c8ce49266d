package dev.aiprof.reference.llm.engine;

/**
 * One sequence's forward pass through a Llama model: its KV cache, scratch buffers and the row
 * tasks it hands to a {@link RowPool}. Up to {@link #BATCH} consecutive tokens go through together
 * (a prompt in chunks, a decode step alone): each weight row is read once per chunk and applied to
 * every token of it, and each token's arithmetic is the same whatever the chunk, so results do not
 * depend on the chunking. Everything is allocated here, once; {@link #forward} allocates nothing.
 * Not thread-safe: one caller at a time.
 */
final class Transformer {
  /** Most tokens computed together. */
  static final int BATCH = 32;

  private final LlamaConfig c;
  private final LlamaWeights w;
  private final RowPool pool;
  private final float[] x;
  private final float[] xb;
  private final float[] xb2;
  private final float[] q;
  private final float[] attOut;
  private final float[] att;
  private final float[] hb;
  private final float[] logits;
  private final float[][] kCache;
  private final float[][] vCache;
  private final float[] cos;
  private final float[] sin;
  private final float attScale;
  private int layer;
  private int start;
  private int n;

  private final RowTask qkv = this::qkvRows;
  private final RowTask attention = this::attentionRows;
  private final RowTask out = this::outRows;
  private final RowTask gateUp = this::gateUpRows;
  private final RowTask down = this::downRows;
  private final RowTask vocab = this::vocabRows;

  Transformer(LlamaConfig c, LlamaWeights w, RowPool pool) {
    this.c = c;
    this.w = w;
    this.pool = pool;
    x = new float[BATCH * c.dim()];
    xb = new float[BATCH * c.dim()];
    xb2 = new float[BATCH * c.dim()];
    q = new float[BATCH * c.dim()];
    attOut = new float[BATCH * c.dim()];
    att = new float[BATCH * c.heads() * c.context()];
    hb = new float[BATCH * c.ffn()];
    logits = new float[c.vocab()];
    kCache = new float[c.layers()][c.context() * c.kvDim()];
    vCache = new float[c.layers()][c.context() * c.kvDim()];
    int half = c.headDim() / 2;
    cos = new float[c.context() * half];
    sin = new float[c.context() * half];
    for (int p = 0; p < c.context(); p++) {
      for (int i = 0; i < half; i++) {
        double theta = p * Math.pow(c.ropeBase(), -2.0 * i / c.headDim());
        cos[p * half + i] = (float) Math.cos(theta);
        sin[p * half + i] = (float) Math.sin(theta);
      }
    }
    attScale = (float) (1 / Math.sqrt(c.headDim()));
  }

  /**
   * Runs {@code count} (1 to {@link #BATCH}) tokens {@code tokens[from..]} at positions {@code
   * position..} (earlier positions must already be in the cache); with {@code wantLogits} computes
   * the next-token logits after the last of them and returns their argmax, else returns -1.
   */
  int forward(int[] tokens, int from, int count, int position, boolean wantLogits) {
    start = position;
    n = count;
    int d = c.dim();
    for (int t = 0; t < n; t++) {
      System.arraycopy(w.tokenEmbd, tokens[from + t] * d, x, t * d, d);
    }
    for (layer = 0; layer < c.layers(); layer++) {
      norm(w.attnNorm[layer]);
      pool.run(qkv, d + 2 * c.kvDim(), n * d);
      rotate();
      pool.run(attention, n * c.heads(), (start + n) * c.headDim() * 2);
      pool.run(out, d, n * d);
      add(x, xb2, n * d);
      norm(w.ffnNorm[layer]);
      pool.run(gateUp, c.ffn(), 2 * n * d);
      pool.run(down, d, n * c.ffn());
      add(x, xb2, n * d);
    }
    if (!wantLogits) {
      return -1;
    }
    Ops.rmsNorm(xb, 0, x, (n - 1) * d, d, w.outputNorm, c.rmsEps());
    pool.run(vocab, c.vocab(), d);
    return Ops.argmax(logits);
  }

  /** The logits of the last {@link #forward} that computed them (a live view: do not keep). */
  float[] logits() {
    return logits;
  }

  private void norm(float[] gain) {
    int d = c.dim();
    for (int t = 0; t < n; t++) {
      Ops.rmsNorm(xb, t * d, x, t * d, d, gain, c.rmsEps());
    }
  }

  private void qkvRows(int from, int to) {
    int d = c.dim();
    int kv = c.kvDim();
    float[] k = kCache[layer];
    float[] v = vCache[layer];
    for (int r = from; r < to; r++) {
      for (int t = 0; t < n; t++) {
        int p = start + t;
        if (r < d) {
          q[t * d + r] = Ops.dot(w.wq[layer], r * d, xb, t * d, d);
        } else if (r < d + kv) {
          k[p * kv + r - d] = Ops.dot(w.wk[layer], (r - d) * d, xb, t * d, d);
        } else {
          v[p * kv + r - d - kv] = Ops.dot(w.wv[layer], (r - d - kv) * d, xb, t * d, d);
        }
      }
    }
  }

  private void rotate() {
    int hd = c.headDim();
    float[] k = kCache[layer];
    for (int t = 0; t < n; t++) {
      int p = start + t;
      for (int h = 0; h < c.heads(); h++) {
        Ops.rope(q, t * c.dim() + h * hd, hd, cos, sin, p);
      }
      for (int h = 0; h < c.kvHeads(); h++) {
        Ops.rope(k, p * c.kvDim() + h * hd, hd, cos, sin, p);
      }
    }
  }

  /** Rows are (token, head) pairs: each attends over the positions up to its own. */
  private void attentionRows(int from, int to) {
    int hd = c.headDim();
    int kv = c.kvDim();
    int group = c.heads() / c.kvHeads();
    float[] k = kCache[layer];
    float[] v = vCache[layer];
    for (int row = from; row < to; row++) {
      int t = row / c.heads();
      int h = row % c.heads();
      int p = start + t;
      int kvOff = (h / group) * hd;
      int qOff = t * c.dim() + h * hd;
      int a = row * c.context();
      for (int j = 0; j <= p; j++) {
        att[a + j] = Ops.dot(k, j * kv + kvOff, q, qOff, hd) * attScale;
      }
      Ops.softmax(att, a, p + 1);
      for (int i = 0; i < hd; i++) {
        attOut[qOff + i] = 0;
      }
      for (int j = 0; j <= p; j++) {
        float weight = att[a + j];
        int vo = j * kv + kvOff;
        for (int i = 0; i < hd; i++) {
          attOut[qOff + i] += weight * v[vo + i];
        }
      }
    }
  }

  private void outRows(int from, int to) {
    matmul(xb2, w.wo[layer], attOut, c.dim(), c.dim(), from, to);
  }

  private void downRows(int from, int to) {
    matmul(xb2, w.wDown[layer], hb, c.ffn(), c.dim(), from, to);
  }

  private void vocabRows(int from, int to) {
    Ops.matmulRows(logits, w.output, xb, c.dim(), from, to);
  }

  private void gateUpRows(int from, int to) {
    int d = c.dim();
    for (int r = from; r < to; r++) {
      for (int t = 0; t < n; t++) {
        float g = Ops.dot(w.wGate[layer], r * d, xb, t * d, d);
        float u = Ops.dot(w.wUp[layer], r * d, xb, t * d, d);
        hb[t * c.ffn() + r] = Ops.silu(g) * u;
      }
    }
  }

  /** {@code out[t][r] = W[r]·in[t]} for rows {@code [from, to)} of W and every token t. */
  private void matmul(float[] out, float[] wt, float[] in, int cols, int rows, int from, int to) {
    for (int r = from; r < to; r++) {
      for (int t = 0; t < n; t++) {
        out[t * rows + r] = Ops.dot(wt, r * cols, in, t * cols, cols);
      }
    }
  }

  private static void add(float[] acc, float[] v, int len) {
    for (int i = 0; i < len; i++) {
      acc[i] += v[i];
    }
  }
}
