package dev.aiprof.reference.llm;

import dev.aiprof.reference.llm.gguf.Progress;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures the generator on this machine: model write, load, then prefill and decode per token over
 * a few requests. {@code java -cp ... dev.aiprof.reference.llm.GeneratorTiming FILE [ENGINE
 * [REQUESTS [STEPS [SHAPE]]]]}. Prints one line per measurement; for the README's numbers.
 */
public final class GeneratorTiming {
  private GeneratorTiming() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args.length > 0 ? args[0] : "reference-model.gguf");
    String engine = args.length > 1 ? args[1] : Generators.JAVA;
    int requests = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int steps = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    ModelShape shape = ModelShape.parse(args.length > 4 ? args[4] : "");
    var written = SyntheticModel.writeIfAbsent(file, 1, shape, Progress.NONE);
    System.out.printf(
        "model %s: %.1f MB, %s in %.0f ms%n",
        file,
        written.bytes() / 1e6,
        written.created() ? "written" : "kept",
        written.writeNanos() / 1e6);
    long t0 = System.nanoTime();
    try (Generator g = Generators.open(file, engine)) {
      System.out.printf("load (%s): %.0f ms%n", g.engine(), (System.nanoTime() - t0) / 1e6);
      String prompt = "Where did the time go when the server answered the request?";
      int[] ids = g.tokenizer().encode(prompt);
      long prefill = 0;
      long decode = 0;
      int[] out = new int[steps];
      for (int r = 0; r < requests; r++) {
        long a = System.nanoTime();
        out[0] = g.prefill(ids);
        long b = System.nanoTime();
        for (int s = 1; s < steps; s++) {
          out[s] = g.decode();
        }
        long c = System.nanoTime();
        if (r > 0) { // the first request warms the JIT
          prefill += b - a;
          decode += c - b;
        }
      }
      int n = Math.max(1, requests - 1);
      System.out.printf(
          "prompt %d tokens: prefill %.2f ms/token, decode %.2f ms/token (%d requests after warm-up)%n",
          ids.length, prefill / 1e6 / n / ids.length, decode / 1e6 / n / (steps - 1), n);
      System.out.println("tokens " + Arrays.toString(out));
      System.out.println("text   " + g.tokenizer().decode(out));
    }
  }
}
