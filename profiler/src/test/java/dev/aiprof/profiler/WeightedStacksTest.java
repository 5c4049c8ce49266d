package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void offCpuFoldedCountsMicrosecondsAtLeastOne() {
    WeightedStacks w = new WeightedStacks(4);
    w.add(List.of("main", "sleep"), 2, 80_000_000);
    w.add(List.of("main", "spin"), 1, 10);
    assertThat(w.foldedMicros()).isEqualTo("main;sleep 80000\nmain;spin 1\n");
  }

  @Test
  void theManifestSaysWhatEachFileHoldsAndClashingNamesGetTheirOwnFile(@TempDir Path dir)
      throws Exception {
    WeightedStacks off = new WeightedStacks(4);
    off.add(List.of("main", "sleep"), 1, 40_000_000);
    Path out =
        ProfileFiles.write(
            dir.resolve("w"),
            new ProfileFiles.Window(
                sample(),
                off,
                Map.of("decode 1", sample(), "decode_1", sample(), "a\"b<", sample()),
                Map.of("decode 1", off),
                19,
                52_631_578,
                1_000,
                2_000,
                42));
    JsonNode m = new ObjectMapper().readTree(out.resolve("profile.json").toFile());
    assertThat(m.get("startUnixNano").asLong()).isEqualTo(1_000);
    assertThat(m.get("endUnixNano").asLong()).isEqualTo(2_000);
    assertThat(m.get("pid").asInt()).isEqualTo(42);
    List<String> rows = new java.util.ArrayList<>();
    for (JsonNode p : m.get("profiles")) {
      rows.add(
          p.get("file").asText()
              + " "
              + p.get("kind").asText()
              + " "
              + p.get("unit").asText()
              + " "
              + p.get("phase").asText("-")
              + " "
              + p.get("samples").asLong());
      assertThat(out.resolve(p.get("file").asText())).exists();
    }
    assertThat(rows)
        .containsExactly(
            "cpu.folded on-cpu samples - 10",
            "offcpu.folded off-cpu us - 1",
            "phase-a_b_.folded on-cpu samples a\"b< 10",
            "phase-decode_1.folded on-cpu samples decode 1 10",
            "phase-decode_1-2.folded on-cpu samples decode_1 10",
            "offcpu-phase-decode_1.folded off-cpu us decode 1 1");
    assertThat(Files.readString(out.resolve("offcpu-phase-decode_1.folded")))
        .isEqualTo("main;sleep 40000\n");
    assertThat(Files.readString(out.resolve("profile.json"))).doesNotContain("<");
  }
}
