package dev.aiprof.agent.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Grafana dashboard file of {@code dashboards/}, read with Jackson: its panels (rows' nested
 * panels included), their Prometheus targets and its template variables. Immutable.
 *
 * @param file where it was read from
 * @param json the whole document
 */
record Dashboard(Path file, JsonNode json) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A panel and its queries; {@code repeat} is the variable it repeats for, or "". */
  record Panel(
      int id, String title, String type, String repeat, JsonNode json, List<Target> targets) {
    @Override
    public String toString() {
      return "panel " + id + " \"" + title + "\" (" + type + ")";
    }
  }

  /** A Prometheus query of a panel, run as an instant query or over the range. */
  record Target(String refId, String expr, boolean instant, String format) {}

  /** A template variable; {@code query} is the text of a query variable's query. */
  record Variable(String name, String type, String query, boolean includeAll, boolean multi) {}

  /** The repository's {@code dashboards/} directory, found above the working directory. */
  static Path directory() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("dashboards")) && Files.exists(p.resolve("pom.xml"))) {
        return p.resolve("dashboards");
      }
    }
    throw new AssertionError("no dashboards/ directory above " + Path.of("").toAbsolutePath());
  }

  /** Every {@code dashboards/*.json}, sorted by name. */
  static List<Dashboard> all() {
    try (Stream<Path> s = Files.list(directory())) {
      return s.filter(f -> f.toString().endsWith(".json")).sorted().map(Dashboard::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dashboard read(Path file) {
    try {
      return new Dashboard(file, JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("read dashboard " + file, e);
    }
  }

  String name() {
    return file.getFileName().toString();
  }

  String uid() {
    return json.path("uid").asText();
  }

  List<Panel> panels() {
    List<Panel> out = new ArrayList<>();
    for (JsonNode p : json.path("panels")) {
      out.add(panel(p));
      for (JsonNode nested : p.path("panels")) {
        out.add(panel(nested));
      }
    }
    return out;
  }

  List<Variable> variables() {
    List<Variable> out = new ArrayList<>();
    for (JsonNode v : json.path("templating").path("list")) {
      JsonNode q = v.path("query");
      out.add(
          new Variable(
              v.path("name").asText(),
              v.path("type").asText(),
              q.isObject() ? q.path("query").asText() : q.asText(),
              v.path("includeAll").asBoolean(),
              v.path("multi").asBoolean()));
    }
    return out;
  }

  Variable variable(String name) {
    return variables().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name() + " has no variable " + name));
  }

  private static Panel panel(JsonNode p) {
    List<Target> targets = new ArrayList<>();
    for (JsonNode t : p.path("targets")) {
      targets.add(
          new Target(
              t.path("refId").asText(),
              t.path("expr").asText(),
              t.path("instant").asBoolean(false) && !t.path("range").asBoolean(false),
              t.path("format").asText("time_series")));
    }
    return new Panel(
        p.path("id").asInt(),
        p.path("title").asText(),
        p.path("type").asText(),
        p.path("repeat").asText(""),
        p,
        List.copyOf(targets));
  }
}
