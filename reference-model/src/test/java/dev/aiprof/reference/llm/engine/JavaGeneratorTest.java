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
        assertMatches(
            reference.logits(seq.stream().mapToInt(i -> i).toArray()), g.lastLogits(), next);
        seq.add(next);
        next = g.decode();
      }
    }
  }

  @Test
  void aPromptOfMoreThanOneChunkMatchesTheNaivePass() throws IOException {
    ReferenceLlama reference = new ReferenceLlama(GgufReader.read(model));
    try (JavaGenerator g = JavaGenerator.open(model, 2, Progress.NONE)) {
      int[] prompt =
          g.tokenizer().encode("the quick brown fox jumps over the lazy dog, ".repeat(4));
      assertThat(prompt.length).isGreaterThan(Transformer.BATCH + 1);

      int next = g.prefill(prompt);

      assertMatches(reference.logits(prompt), g.lastLogits(), next);
    }
  }

  @Test
  void anF16ModelIsWidenedOnLoadAndMatchesTheNaivePass() throws IOException {
    ModelShape f16 = ModelShape.parse(ModelShape.TINY.spec().replace("type=f32", "type=f16"));
    Path p = SyntheticModel.writeIfAbsent(dir.resolve("f16.gguf"), 7, f16, Progress.NONE).path();
    ReferenceLlama reference = new ReferenceLlama(GgufReader.read(p));
    try (JavaGenerator g = JavaGenerator.open(p, 2, Progress.NONE)) {
      int[] prompt = g.tokenizer().encode("half precision");

      int next = g.prefill(prompt);

      assertMatches(reference.logits(prompt), g.lastLogits(), next);
    }
    assertThat(java.nio.file.Files.size(p)).isLessThan(java.nio.file.Files.size(model) * 3 / 4);
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

  /**
   * A steady decode loop allocates nothing. A one-off JIT event (deoptimisation re-materialises
   * objects on the thread it hits) can show up once, so of three windows of 25 steps one must be
   * clean on every thread; an allocation in the loop itself would show in all three.
   */
  @Test
  void decodeStepsAllocateNothingOnTheCallerOrTheNamedWorkers() throws IOException {
    var mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (JavaGenerator g = JavaGenerator.open(model, 2, Progress.NONE)) {
      g.prefill(g.tokenizer().encode("a"));
      for (int i = 0; i < 40; i++) {
        g.decode(); // warm up: class loading and JIT
      }
      assertThat(g.workers()).extracting(Thread::getName).containsExactly("aiprof-llm-matmul-1");
      long[] ids = {Thread.currentThread().threadId(), g.workers().get(0).threadId()};
      List<Long> windows = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        long[] probe = mx.getThreadAllocatedBytes(ids);
        long[] before = mx.getThreadAllocatedBytes(ids);
        for (int i = 0; i < 25; i++) {
          g.decode();
        }
        long[] after = mx.getThreadAllocatedBytes(ids);
        long reading = before[0] - probe[0]; // what one reading allocates on the caller
        windows.add((after[0] - before[0] - reading) + (after[1] - before[1]));
      }

      assertThat(windows).as("bytes allocated per window of 25 decode steps").contains(0L);
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

  private static void assertMatches(double[] expected, float[] logits, int next) {
    for (int v = 0; v < expected.length; v++) {
      assertThat((double) logits[v]).as("logit %d", v).isCloseTo(expected[v], within(1e-4));
    }
    assertThat(next).isEqualTo(argmax(expected));
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
