package dev.aiprof.reference.llm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.aiprof.reference.llm.ModelShape;
import dev.aiprof.reference.llm.SyntheticModel;
import dev.aiprof.reference.llm.gguf.GgufReader;
import dev.aiprof.reference.llm.gguf.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaGeneratorTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void writeModel() throws IOException {
    model =
        SyntheticModel.writeIfAbsent(dir.resolve("tiny.gguf"), 7, ModelShape.TINY, Progress.NONE)
            .path();
  }

  @Test
  void everyStepMatchesANaiveDoublePrecisionForwardPass() throws IOException {
    ReferenceLlama reference = new ReferenceLlama(GgufReader.read(model));
    try (JavaGenerator g = JavaGenerator.open(model, 2, Progress.NONE)) {
      List<Integer> seq = new ArrayList<>();
      for (int t : g.tokenizer().encode("where did the time go")) {
        seq.add(t);
      }
      int next = g.prefill(seq.stream().mapToInt(i -> i).toArray());
      for (int step = 0; step < 6; step++) {
        double[] expected = reference.logits(seq.stream().mapToInt(i -> i).toArray());
        float[] actual = g.lastLogits();
        for (int v = 0; v < expected.length; v++) {
          assertThat((double) actual[v])
              .as("logit %d at step %d", v, step)
              .isCloseTo(expected[v], within(1e-3));
        }
        assertThat(next).isEqualTo(argmax(expected));
        seq.add(next);
        next = g.decode();
      }
    }
  }

  @Test
  void oneThreadAndTwoThreadsGiveTheSameTokens() throws IOException {
    assertThat(generate(1, 12)).isEqualTo(generate(2, 12));
  }

  @Test
  void aNewPrefillStartsAFreshSequence() throws IOException {
    try (JavaGenerator g = JavaGenerator.open(model, 2, Progress.NONE)) {
      int[] prompt = g.tokenizer().encode("the kernel knows");
      int first = g.prefill(prompt);
      g.decode();
      g.decode();
      assertThat(g.prefill(prompt)).isEqualTo(first);
    }
  }

  @Test
  void badCallsAreRefusedWithTheReason() throws IOException {
    try (JavaGenerator g = JavaGenerator.open(model, 1, Progress.NONE)) {
      assertThatThrownBy(g::decode).hasMessageContaining("decode before prefill");
      assertThatThrownBy(() -> g.prefill(new int[0])).hasMessageContaining("needs 1 to 127");
      assertThatThrownBy(() -> g.prefill(new int[] {1, 99_999}))
          .hasMessageContaining("outside the vocabulary");
      g.prefill(new int[] {1});
      for (int i = 1; i < 128; i++) {
        g.decode();
      }
      assertThatThrownBy(g::decode).hasMessageContaining("context of 128 tokens is full");
    }
  }

  private static List<Integer> generate(int threads, int steps) throws IOException {
    try (JavaGenerator g = JavaGenerator.open(model, threads, Progress.NONE)) {
      List<Integer> out = new ArrayList<>();
      out.add(g.prefill(g.tokenizer().encode("a profiler for machine learning")));
      for (int i = 1; i < steps; i++) {
        out.add(g.decode());
      }
      return out;
    }
  }

  private static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
