package dev.aiprof.reference.llm.engine;

/**
 * One sequence's forward pass through a Llama model: its KV cache, scratch buffers and the row
 * tasks it hands to a {@link RowPool}. Everything is allocated here, once; {@link #forward}
 * allocates nothing. Not thread-safe: one caller at a time.
 */
final class Transformer {
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
  private int pos;

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
    x = new float[c.dim()];
    xb = new float[c.dim()];
    xb2 = new float[c.dim()];
    q = new float[c.dim()];
    attOut = new float[c.dim()];
    att = new float[c.heads() * c.context()];
    hb = new float[c.ffn()];
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
   * Runs {@code token} at position {@code position} (earlier positions must already be in the
   * cache); with {@code wantLogits} computes the next-token logits and returns their argmax, else
   * returns -1.
   */
  int forward(int token, int position, boolean wantLogits) {
    pos = position;
    System.arraycopy(w.tokenEmbd, token * c.dim(), x, 0, c.dim());
    for (layer = 0; layer < c.layers(); layer++) {
      Ops.rmsNorm(xb, x, w.attnNorm[layer], c.rmsEps());
      pool.run(qkv, c.dim() + 2 * c.kvDim(), c.dim());
      rotate();
      pool.run(attention, c.heads(), (pos + 1) * c.headDim() * 2);
      pool.run(out, c.dim(), c.dim());
      add(x, xb2);
      Ops.rmsNorm(xb, x, w.ffnNorm[layer], c.rmsEps());
      pool.run(gateUp, c.ffn(), 2 * c.dim());
      pool.run(down, c.dim(), c.ffn());
      add(x, xb2);
    }
    if (!wantLogits) {
      return -1;
    }
    Ops.rmsNorm(xb, x, w.outputNorm, c.rmsEps());
    pool.run(vocab, c.vocab(), c.dim());
    return Ops.argmax(logits);
  }

  /** The logits of the last {@link #forward} that computed them (a live view: do not keep). */
  float[] logits() {
    return logits;
  }

  private void qkvRows(int from, int to) {
    int d = c.dim();
    int kv = c.kvDim();
    float[] k = kCache[layer];
    float[] v = vCache[layer];
    for (int r = from; r < to; r++) {
      if (r < d) {
        q[r] = Ops.dot(w.wq[layer], r * d, xb, 0, d);
      } else if (r < d + kv) {
        k[pos * kv + r - d] = Ops.dot(w.wk[layer], (r - d) * d, xb, 0, d);
      } else {
        v[pos * kv + r - d - kv] = Ops.dot(w.wv[layer], (r - d - kv) * d, xb, 0, d);
      }
    }
  }

  private void rotate() {
    int hd = c.headDim();
    for (int h = 0; h < c.heads(); h++) {
      Ops.rope(q, h * hd, hd, cos, sin, pos);
    }
    float[] k = kCache[layer];
    for (int h = 0; h < c.kvHeads(); h++) {
      Ops.rope(k, pos * c.kvDim() + h * hd, hd, cos, sin, pos);
    }
  }

  private void attentionRows(int from, int to) {
    int hd = c.headDim();
    int kv = c.kvDim();
    int group = c.heads() / c.kvHeads();
    float[] k = kCache[layer];
    float[] v = vCache[layer];
    for (int h = from; h < to; h++) {
      int kvOff = (h / group) * hd;
      int a = h * c.context();
      for (int t = 0; t <= pos; t++) {
        att[a + t] = Ops.dot(k, t * kv + kvOff, q, h * hd, hd) * attScale;
      }
      Ops.softmax(att, a, pos + 1);
      int o = h * hd;
      for (int i = 0; i < hd; i++) {
        attOut[o + i] = 0;
      }
      for (int t = 0; t <= pos; t++) {
        float p = att[a + t];
        int vo = t * kv + kvOff;
        for (int i = 0; i < hd; i++) {
          attOut[o + i] += p * v[vo + i];
        }
      }
    }
  }

  private void outRows(int from, int to) {
    Ops.matmulRows(xb2, w.wo[layer], attOut, c.dim(), from, to);
  }

  private void downRows(int from, int to) {
    Ops.matmulRows(xb2, w.wDown[layer], hb, c.ffn(), from, to);
  }

  private void vocabRows(int from, int to) {
    Ops.matmulRows(logits, w.output, xb, c.dim(), from, to);
  }

  private void gateUpRows(int from, int to) {
    int d = c.dim();
    for (int r = from; r < to; r++) {
      float g = Ops.dot(w.wGate[layer], r * d, xb, 0, d);
      float u = Ops.dot(w.wUp[layer], r * d, xb, 0, d);
      hb[r] = Ops.silu(g) * u;
    }
  }

  private static void add(float[] acc, float[] v) {
    for (int i = 0; i < acc.length; i++) {
      acc[i] += v[i];
    }
  }
}
