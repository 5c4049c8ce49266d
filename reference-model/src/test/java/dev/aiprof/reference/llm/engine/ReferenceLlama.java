package dev.aiprof.reference.llm.engine;

import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.gguf.TensorReader;
import java.io.IOException;

/**
 * A second, deliberately naive Llama forward pass for tests: double precision, no KV cache (every
 * step recomputes the whole sequence), rotary angles from the formula, weights read tensor by
 * tensor by name. Written from the architecture's definition, sharing no code with the engine
 * beyond the GGUF reader.
 */
final class ReferenceLlama {
  private final GgufFile f;
  private final LlamaConfig c;
  private final TensorReader r;

  ReferenceLlama(GgufFile f) throws IOException {
    this.f = f;
    this.c = LlamaConfig.of(f);
    this.r = new TensorReader(f, Progress.NONE);
  }

  /** Logits after the last token of {@code tokens}. */
  double[] logits(int[] tokens) throws IOException {
    int n = tokens.length;
    int d = c.dim();
    double[][] x = new double[n][];
    float[] embd = r.read("token_embd.weight");
    for (int t = 0; t < n; t++) {
      x[t] = new double[d];
      for (int i = 0; i < d; i++) {
        x[t][i] = embd[tokens[t] * d + i];
      }
    }
    for (int l = 0; l < c.layers(); l++) {
      String b = "blk." + l + ".";
      double[][] h = new double[n][];
      for (int t = 0; t < n; t++) {
        h[t] = norm(x[t], r.read(b + "attn_norm.weight"));
      }
      double[][] q = new double[n][];
      double[][] k = new double[n][];
      double[][] v = new double[n][];
      for (int t = 0; t < n; t++) {
        q[t] = rope(mul(r.read(b + "attn_q.weight"), h[t], d), t);
        k[t] = rope(mul(r.read(b + "attn_k.weight"), h[t], c.kvDim()), t);
        v[t] = mul(r.read(b + "attn_v.weight"), h[t], c.kvDim());
      }
      for (int t = 0; t < n; t++) {
        double[] att = attend(q, k, v, t);
        add(x[t], mul(r.read(b + "attn_output.weight"), att, d));
        double[] hn = norm(x[t], r.read(b + "ffn_norm.weight"));
        double[] g = mul(r.read(b + "ffn_gate.weight"), hn, c.ffn());
        double[] u = mul(r.read(b + "ffn_up.weight"), hn, c.ffn());
        for (int i = 0; i < g.length; i++) {
          g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
        }
        add(x[t], mul(r.read(b + "ffn_down.weight"), g, d));
      }
    }
    return mul(r.read("output.weight"), norm(x[n - 1], r.read("output_norm.weight")), c.vocab());
  }

  private double[] attend(double[][] q, double[][] k, double[][] v, int t) {
    int hd = c.headDim();
    double[] out = new double[c.dim()];
    for (int h = 0; h < c.heads(); h++) {
      int kvh = h * c.kvHeads() / c.heads();
      double[] s = new double[t + 1];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j <= t; j++) {
        for (int i = 0; i < hd; i++) {
          s[j] += q[t][h * hd + i] * k[j][kvh * hd + i];
        }
        s[j] /= Math.sqrt(hd);
        max = Math.max(max, s[j]);
      }
      double sum = 0;
      for (int j = 0; j <= t; j++) {
        s[j] = Math.exp(s[j] - max);
        sum += s[j];
      }
      for (int j = 0; j <= t; j++) {
        for (int i = 0; i < hd; i++) {
          out[h * hd + i] += s[j] / sum * v[j][kvh * hd + i];
        }
      }
    }
    return out;
  }

  private double[] rope(double[] v, int pos) {
    int hd = c.headDim();
    for (int base = 0; base < v.length; base += hd) {
      for (int i = 0; i < hd; i += 2) {
        double theta = pos / Math.pow(c.ropeBase(), (double) i / hd);
        double a = v[base + i];
        double b = v[base + i + 1];
        v[base + i] = a * Math.cos(theta) - b * Math.sin(theta);
        v[base + i + 1] = a * Math.sin(theta) + b * Math.cos(theta);
      }
    }
    return v;
  }

  private double[] norm(double[] x, float[] g) {
    double ss = 0;
    for (double e : x) {
      ss += e * e;
    }
    double s = 1 / Math.sqrt(ss / x.length + c.rmsEps());
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] * s * g[i];
    }
    return out;
  }

  private static double[] mul(float[] w, double[] x, int rows) {
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < x.length; i++) {
        out[r] += w[r * x.length + i] * x[i];
      }
    }
    return out;
  }

  private static void add(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
