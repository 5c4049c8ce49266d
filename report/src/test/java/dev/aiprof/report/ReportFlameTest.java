package dev.aiprof.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.report.profile.ProfilesTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of the recorded fixture with profile files: the page's flame graph data. */
class ReportFlameTest {
  @TempDir Path tmp;

  /** The page's embedded data. */
  static JsonNode data(Path html) throws Exception {
    String page = Files.readString(html, StandardCharsets.UTF_8);
    String open = "<script type=\"application/json\" id=\"data\">";
    int from = page.indexOf(open) + open.length();
    return new ObjectMapper().readTree(page.substring(from, page.indexOf("</script>", from)));
  }

  /** The frame names of a graph's or diff's tree, depth first. */
  static List<String> names(JsonNode flames, JsonNode tree) {
    List<String> out = new ArrayList<>();
    collect(flames.get("names"), tree, out);
    return out;
  }

  private static void collect(JsonNode names, JsonNode n, List<String> out) {
    out.add(names.get(n.get(0).asInt()).asText());
    for (JsonNode c : n.get(n.size() - 1)) {
      collect(names, c, out);
    }
  }

  static JsonNode graph(JsonNode flames, String kind, String phase) {
    for (JsonNode g : flames.get("graphs")) {
      if (g.get("kind").asText().equals(kind)
          && (phase == null ? g.get("phase").isNull() : phase.equals(g.get("phase").asText()))) {
        return g;
      }
    }
    throw new AssertionError("no " + kind + " graph of " + phase + " in " + flames.get("graphs"));
  }

  private ReportBuilder.Result build(Path profiles, Path diffFrom) throws Exception {
    return ReportBuilder.build(
        new ReportBuilder.Options(
            Fixture.dir(),
            Optional.empty(),
            Optional.empty(),
            tmp.resolve("out"),
            "",
            1000,
            Optional.of(profiles),
            Optional.ofNullable(diffFrom)));
  }

  @Test
  void eachPhasesStacksAndThePairsBetweenPhasesAreInThePage() throws Exception {
    Path w =
        ProfilesTest.window(
            tmp.resolve("p"), "w", 0, 1, "main;run;crunch 9\nmain;idle 1\n", "main;sleep 40000\n");
    Files.writeString(w.resolve("phase-beta.folded"), "main;run;other 5\n");
    String m = Files.readString(w.resolve("profile.json"));
    Files.writeString(
        w.resolve("profile.json"),
        m.replace(
            "]}",
            ",{\"file\":\"phase-beta.folded\",\"kind\":\"on-cpu\",\"unit\":\"samples\","
                + "\"phase\":\"beta\"}]}"));
    JsonNode flames = data(build(w, null).html()).get("flames");
    JsonNode decode = graph(flames, "on-cpu", "decode 1");
    assertThat(decode.get("total").asLong()).isEqualTo(10);
    assertThat(names(flames, decode.get("tree")))
        .containsExactly("all", "main", "idle", "run", "crunch");
    assertThat(names(flames, graph(flames, "off-cpu", "decode 1").get("tree"))).contains("sleep");
    assertThat(graph(flames, "off-cpu", "decode 1").get("unit").asText()).isEqualTo("us");
    assertThat(flames.get("diffs")).hasSize(1);
    JsonNode d = flames.get("diffs").get(0);
    assertThat(d.get("a").asText() + " " + d.get("b").asText()).isEqualTo("decode 1 beta");
    assertThat(d.get("totalA").asLong()).isEqualTo(10);
    assertThat(d.get("totalB").asLong()).isEqualTo(5);
    assertThat(flames.get("baseline").isNull()).isTrue();
  }

  @Test
  void aBaselineRunGivesADiffPerProfileBothHave() throws Exception {
    Path now = ProfilesTest.window(tmp.resolve("now"), "w", 0, 1, "main;a 3\n", "main;s 10\n");
    Path base = ProfilesTest.window(tmp.resolve("base"), "w", 0, 1, "main;b 1\n", "main;s 20\n");
    JsonNode flames = data(build(now, tmp.resolve("base")).html()).get("flames");
    assertThat(flames.get("baseline").get("windows").asInt()).isEqualTo(1);
    List<JsonNode> runs = new ArrayList<>();
    flames
        .get("diffs")
        .forEach(
            x -> {
              if (x.get("run").asBoolean()) {
                runs.add(x);
              }
            });
    assertThat(runs).hasSize(3);
    JsonNode cpu = runs.stream().filter(x -> x.get("phase").isNull()).findFirst().orElseThrow();
    // [all, 1, 3, 0, [[main, 1, 3, 0, [[a, 0, 3, 1.0, []], [b, 1, 0, -1.0, []]]]]]
    JsonNode main = cpu.get("tree").get(4).get(0);
    assertThat(main.get(4).get(0).get(3).asDouble()).isEqualTo(1.0);
    assertThat(main.get(4).get(1).get(3).asDouble()).isEqualTo(-1.0);
  }

  @Test
  void noProfilesIsAnEmptyListAndThePageSaysWhere() throws Exception {
    JsonNode flames = data(build(tmp.resolve("none"), null).html()).get("flames");
    assertThat(flames.get("graphs")).isEmpty();
    assertThat(flames.get("source").asText()).endsWith("none");
  }

  @Test
  void aMissingDiffFromDirectoryIsAClearError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> build(tmp.resolve("none"), tmp.resolve("missing")))
        .isInstanceOf(ReportBuilder.NothingToReport.class)
        .hasMessageContaining("--diff-from");
  }
}
