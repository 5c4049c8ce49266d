package dev.aiprof.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.report.ReportBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Builds the HTML report of a profiled fixture run from the profile collector's files, as {@code
 * aiprof report --profiles DIR} does, and reads the flame graphs back from the page's embedded
 * data. The report needs spans: the fixture's phases are written as one OTLP JSON trace file (wall
 * clock from the monotonic times), as the agent's file exporter would.
 */
final class ReportFlames {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportFlames() {}

  static void assertEachFunctionInItsPhase(Path profiles, List<CorrelatedPhase> phases, int pid)
      throws Exception {
    Path otlp = Files.createDirectories(profiles.resolveSibling(profiles.getFileName() + "-otlp"));
    Files.writeString(otlp.resolve("traces-20261207T000000Z-1.jsonl"), traces(phases, pid));
    ReportBuilder.Result r =
        ReportBuilder.build(
            new ReportBuilder.Options(
                otlp,
                Optional.empty(),
                Optional.empty(),
                otlp.resolve("report"),
                "",
                1000,
                Optional.of(profiles),
                Optional.empty()));
    assertThat(r.profiles().windows()).as("the window written by the report").isEqualTo(1);
    JsonNode flames = data(r.html()).get("flames");
    assertDominates(flames, "alpha", "crunch_alpha", "crunch_beta");
    assertDominates(flames, "beta", "crunch_beta", "crunch_alpha");
    JsonNode wait = graph(flames, "off-cpu", "wait");
    assertThat(wait.get("unit").asText()).isEqualTo("us");
    assertThat(wait.get("total").asLong()).as("µs off-CPU in wait").isGreaterThan(35_000);
    assertThat(frames(flames, wait.get("tree")).toString()).contains("nanosleep", "schedule");
  }

  /**
   * In {@code phase}'s on-CPU graph, {@code function}'s frames hold ≥ 80% and {@code other}'s none.
   */
  private static void assertDominates(
      JsonNode flames, String phase, String function, String other) {
    JsonNode g = graph(flames, "on-cpu", phase);
    long total = g.get("total").asLong();
    long self = self(flames, g.get("tree"), function);
    assertThat(100.0 * self / total)
        .as("%s's self share of phase %s (%s)", function, phase, frames(flames, g.get("tree")))
        .isGreaterThanOrEqualTo(80);
    assertThat(self(flames, g.get("tree"), other)).as("%s in phase %s", other, phase).isZero();
  }

  private static long self(JsonNode flames, JsonNode n, String name) {
    long s =
        flames.get("names").get(n.get(0).asInt()).asText().equals(name) ? n.get(2).asLong() : 0;
    for (JsonNode c : n.get(3)) {
      s += self(flames, c, name);
    }
    return s;
  }

  private static List<String> frames(JsonNode flames, JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    out.add(flames.get("names").get(n.get(0).asInt()).asText());
    for (JsonNode c : n.get(n.size() - 1)) {
      out.addAll(frames(flames, c));
    }
    return out;
  }

  private static JsonNode graph(JsonNode flames, String kind, String phase) {
    for (JsonNode g : flames.get("graphs")) {
      if (g.get("kind").asText().equals(kind) && phase.equals(g.get("phase").asText(null))) {
        return g;
      }
    }
    throw new AssertionError("no " + kind + " graph of phase " + phase + ": " + flames);
  }

  private static JsonNode data(Path html) throws Exception {
    String page = Files.readString(html, StandardCharsets.UTF_8);
    String open = "<script type=\"application/json\" id=\"data\">";
    int from = page.indexOf(open) + open.length();
    return JSON.readTree(page.substring(from, page.indexOf("</script>", from)));
  }

  /** The phases as one OTLP/JSON export request line, times on the wall clock. */
  private static String traces(List<CorrelatedPhase> phases, int pid) {
    long offset = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
    StringBuilder spans = new StringBuilder();
    int i = 0;
    for (CorrelatedPhase c : phases) {
      if (i > 0) {
        spans.append(',');
      }
      spans.append(
          String.format(
              "{\"traceId\":\"%032x\",\"spanId\":\"%016x\",\"name\":\"%s\",\"kind\":1,"
                  + "\"startTimeUnixNano\":\"%d\",\"endTimeUnixNano\":\"%d\",\"attributes\":["
                  + "{\"key\":\"thread.id\",\"value\":{\"intValue\":\"%d\"}}]}",
              i + 1,
              i + 1,
              c.phase().name(),
              c.phase().startNs() + offset,
              c.phase().endNs() + offset,
              c.phase().tid()));
      i++;
    }
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        + "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"profile_phases\"}},"
        + "{\"key\":\"process.pid\",\"value\":{\"intValue\":\""
        + pid
        + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"it\"},\"spans\":["
        + spans
        + "]}]}]}\n";
  }
}
