package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class WeightedStacksTest {
  private static WeightedStacks sample() {
    return sample(3);
  }

  private static WeightedStacks sample(int maxStacks) {
    WeightedStacks w = new WeightedStacks(maxStacks);
    w.add(List.of("main", "work", "crunch"), 8, 8_000);
    w.add(List.of("main", "work", "hash"), 1, 1_000);
    w.add(List.of("main", "idle"), 1, 1_000);
    return w;
  }

  @Test
  void selfIsTheLeafAndTotalEveryFrameOnTheStackOnce() {
    WeightedStacks w = sample(8);
    w.add(List.of("main", "work", "work"), 2, 2); // recursion counts once for total
    assertThat(w.samples()).isEqualTo(12);
    assertThat(w.topSelf(2))
        .containsExactly(
            new WeightedStacks.Function("crunch", 8, 8),
            new WeightedStacks.Function("work", 2, 11));
    assertThat(w.topTotal(2))
        .extracting(WeightedStacks.Function::name)
        .containsExactly("main", "work");
  }

  @Test
  void stacksBeyondTheBoundAreCountedAsOther() {
    WeightedStacks w = sample();
    w.add(List.of("main", "more"), 2, 2);
    w.add(List.of("main", "still"), 1, 1);
    assertThat(w.stacks()).hasSize(4).containsKey(WeightedStacks.OTHER);
    assertThat(w.stacks().get(WeightedStacks.OTHER)[0]).isEqualTo(3);
    assertThat(w.overflowed()).isEqualTo(3);
  }

  @Test
  void foldedIsOneLinePerStackRootFirst() {
    assertThat(sample().folded()).isEqualTo("main;work;crunch 8\nmain;work;hash 1\nmain;idle 1\n");
    WeightedStacks odd = new WeightedStacks(4);
    odd.add(List.of("a b", "c;d"), 1, 1);
    assertThat(odd.folded()).isEqualTo("a_b;c:d 1\n");
  }

  @Test
  void pprofHasTheValueTypesStringsSamplesAndFunctions() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Pprof.write(sample(), "cpu", 10_101_010, 1_700_000_000_000_000_000L, out);
    byte[] p;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      p = in.readAllBytes();
    }
    List<String> strings = PprofRead.strings(p);
    assertThat(strings.getFirst()).as("string_table[0] is empty").isEmpty();
    assertThat(strings).contains("samples", "count", "cpu", "nanoseconds", "crunch", "idle");
    assertThat(strings).doesNotHaveDuplicates();
    assertThat(PprofRead.count(p, 1)).as("sample_type").isEqualTo(2);
    assertThat(PprofRead.count(p, 2)).as("samples").isEqualTo(3);
    assertThat(PprofRead.count(p, 4)).as("locations").isEqualTo(5);
    assertThat(PprofRead.count(p, 5)).as("functions").isEqualTo(5);
  }

  @Test
  void phaseNamesBecomeSafeFileNames() {
    assertThat(ProfileFiles.safe("prefill/decode step")).isEqualTo("prefill_decode_step");
    assertThat(ProfileFiles.safe("..")).isEqualTo("_..");
    assertThat(ProfileFiles.safe("x".repeat(100))).hasSize(64);
  }
}
