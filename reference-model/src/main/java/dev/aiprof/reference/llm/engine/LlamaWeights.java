package dev.aiprof.reference.llm.engine;

import dev.aiprof.reference.llm.gguf.GgufFile;
import dev.aiprof.reference.llm.gguf.GgufFormatException;
import dev.aiprof.reference.llm.gguf.GgufTensorInfo;
import dev.aiprof.reference.llm.gguf.Progress;
import dev.aiprof.reference.llm.gguf.TensorReader;
import java.io.IOException;
import java.util.Arrays;

/**
 * Every weight of a Llama model as float arrays, matrices row-major with one row per output ({@code
 * W[out][in]}, ggml's {@code ne = [in, out]}). Read whole from the file at construction. Immutable
 * after construction (the arrays are not copied: do not write to them).
 */
final class LlamaWeights {
  final float[] tokenEmbd;
  final float[][] attnNorm;
  final float[][] wq;
  final float[][] wk;
  final float[][] wv;
  final float[][] wo;
  final float[][] ffnNorm;
  final float[][] wGate;
  final float[][] wUp;
  final float[][] wDown;
  final float[] outputNorm;
  final float[] output;

  LlamaWeights(GgufFile f, LlamaConfig c, Progress progress) throws IOException {
    int n = c.layers();
    attnNorm = new float[n][];
    wq = new float[n][];
    wk = new float[n][];
    wv = new float[n][];
    wo = new float[n][];
    ffnNorm = new float[n][];
    wGate = new float[n][];
    wUp = new float[n][];
    wDown = new float[n][];
    try (TensorReader r = new TensorReader(f, progress)) {
      tokenEmbd = read(f, r, "token_embd.weight", c.dim(), c.vocab());
      for (int l = 0; l < n; l++) {
        String b = "blk." + l + ".";
        attnNorm[l] = read(f, r, b + "attn_norm.weight", c.dim());
        wq[l] = read(f, r, b + "attn_q.weight", c.dim(), c.dim());
        wk[l] = read(f, r, b + "attn_k.weight", c.dim(), c.kvDim());
        wv[l] = read(f, r, b + "attn_v.weight", c.dim(), c.kvDim());
        wo[l] = read(f, r, b + "attn_output.weight", c.dim(), c.dim());
        ffnNorm[l] = read(f, r, b + "ffn_norm.weight", c.dim());
        wGate[l] = read(f, r, b + "ffn_gate.weight", c.dim(), c.ffn());
        wUp[l] = read(f, r, b + "ffn_up.weight", c.dim(), c.ffn());
        wDown[l] = read(f, r, b + "ffn_down.weight", c.ffn(), c.dim());
      }
      outputNorm = read(f, r, "output_norm.weight", c.dim());
      output = read(f, r, "output.weight", c.dim(), c.vocab());
    }
  }

  private static float[] read(GgufFile f, TensorReader r, String name, long... dims)
      throws IOException {
    GgufTensorInfo t = f.tensor(name);
    if (!Arrays.equals(t.dims(), dims)) {
      throw new GgufFormatException(
          f.path()
              + ": tensor "
              + name
              + " has dims "
              + Arrays.toString(t.dims())
              + ", the config needs "
              + Arrays.toString(dims));
    }
    return r.read(name);
  }
}
