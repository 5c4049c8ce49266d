package dev.aiprof.agent.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiprof.api.category.Category;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The house rules of the dashboards, which Grafana's schema does not enforce: importable anywhere
 * (the data source is a variable, never a fixed uid), templated by node, namespace, pod, service
 * and workload with "All", every panel described and with a unit, every query well-formed and using
 * only defined variables. Needs no tools.
 */
class DashboardFilesTest {
  private static final Set<String> UNITLESS = Set.of("row", "table", "text");

  @Test
  void theThreeDashboardsExistWithDistinctUids() {
    List<Dashboard> all = Dashboard.all();
    assertThat(all)
        .extracting(Dashboard::name)
        .contains("aiprof-overview.json", "aiprof-phases.json", "aiprof-scheduler.json");
    assertThat(all)
        .extracting(Dashboard::uid)
        .doesNotHaveDuplicates()
        .allMatch(u -> u.startsWith("aiprof-"));
  }

  @Test
  void theDataSourceIsAVariableEverywhere() {
    SoftAssertions soft = new SoftAssertions();
    for (Dashboard d : Dashboard.all()) {
      Dashboard.Variable ds = d.variable("datasource");
      soft.assertThat(ds.type()).as(d.name()).isEqualTo("datasource");
      soft.assertThat(ds.query()).as(d.name()).isEqualTo("prometheus");
      for (Dashboard.Panel p : d.panels()) {
        if (!p.type().equals("row")) {
          soft.assertThat(p.json().path("datasource").path("uid").asText())
              .as(d.name() + " " + p)
              .isEqualTo("${datasource}");
        }
        for (JsonNode t : p.json().path("targets")) {
          soft.assertThat(t.path("datasource").path("uid").asText())
              .as(d.name() + " " + p + " " + t.path("refId"))
              .isEqualTo("${datasource}");
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void nodeNamespaceAndPodAreMultiValueVariablesWithAll() {
    Map<String, String> labels =
        Map.of(
            "node", "k8s_node_name",
            "namespace", "k8s_namespace_name",
            "pod", "k8s_pod_name",
            "service", "service_name",
            "workload", "aiprof_workload");
    SoftAssertions soft = new SoftAssertions();
    for (Dashboard d : Dashboard.all()) {
      for (var e : labels.entrySet()) {
        Dashboard.Variable v = d.variable(e.getKey());
        String what = d.name() + " $" + v.name();
        soft.assertThat(v.type()).as(what).isEqualTo("query");
        soft.assertThat(v.includeAll()).as(what).isTrue();
        soft.assertThat(v.multi()).as(what).isTrue();
        soft.assertThat(v.query())
            .as(what)
            .startsWith("label_values(")
            .endsWith(", " + e.getValue() + ")");
      }
      for (JsonNode v : d.json().path("templating").path("list")) {
        if (v.path("includeAll").asBoolean()) {
          soft.assertThat(v.path("allValue").asText())
              .as(d.name() + " " + v.path("name"))
              .isEqualTo(".*");
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void everyPanelHasADescriptionAUnitAndWellFormedQueries() {
    SoftAssertions soft = new SoftAssertions();
    int panels = 0;
    int queries = 0;
    for (Dashboard d : Dashboard.all()) {
      Set<Integer> ids = new HashSet<>();
      Templating all = allOf(d);
      for (Dashboard.Panel p : d.panels()) {
        String what = d.name() + " " + p;
        soft.assertThat(ids.add(p.id())).as(what + ": unique id").isTrue();
        JsonNode grid = p.json().path("gridPos");
        soft.assertThat(grid.path("x").asInt() + grid.path("w").asInt())
            .as(what + ": within 24 columns")
            .isBetween(1, 24);
        if (p.type().equals("row")) {
          continue;
        }
        panels++;
        soft.assertThat(p.json().path("description").asText())
            .as(what + ": description")
            .isNotBlank();
        if (!UNITLESS.contains(p.type())) {
          String unit =
              p.type().equals("heatmap")
                  ? p.json().path("options").path("yAxis").path("unit").asText()
                  : p.json().path("fieldConfig").path("defaults").path("unit").asText();
          soft.assertThat(unit).as(what + ": unit").isNotBlank();
        }
        if (!p.repeat().isEmpty()) {
          Dashboard.Variable v = d.variable(p.repeat());
          soft.assertThat(v.multi() || v.includeAll())
              .as(what + ": repeats a multi-value variable")
              .isTrue();
        }
        Set<String> refs = new HashSet<>();
        soft.assertThat(p.targets()).as(what + ": queries").isNotEmpty();
        for (Dashboard.Target t : p.targets()) {
          queries++;
          soft.assertThat(refs.add(t.refId())).as(what + ": unique refId " + t.refId()).isTrue();
          soft.assertThat(t.expr()).as(what + " " + t.refId()).isNotBlank();
          soft.assertThatCode(() -> all.apply(t.expr()))
              .as(what + " " + t.refId())
              .doesNotThrowAnyException();
        }
      }
    }
    soft.assertAll();
    assertThat(panels).isGreaterThan(30);
    System.out.println("dashboards: " + panels + " panels, " + queries + " queries");
  }

  @Test
  void everyPhaseCategoryAQueryNamesIsOneOfTheRegistry() {
    Pattern category = Pattern.compile("aiprof_phase_category\\s*=~?\\s*\\\\?\"([^\"\\\\]+)");
    Set<String> named = new HashSet<>();
    for (Dashboard d : Dashboard.all()) {
      for (Dashboard.Panel p : d.panels()) {
        for (Dashboard.Target t : p.targets()) {
          Matcher m = category.matcher(t.expr());
          while (m.find()) {
            named.addAll(List.of(m.group(1).split("\\|")));
          }
        }
      }
    }
    assertThat(named).as("categories the dashboards query").isNotEmpty();
    assertThat(named)
        .allSatisfy(id -> assertThat(Category.byId(id)).as("category %s", id).isPresent());
  }

  @Test
  void panelsDoNotOverlapAndRepeatedPanelsSpanTheRow() {
    SoftAssertions soft = new SoftAssertions();
    for (Dashboard d : Dashboard.all()) {
      List<Dashboard.Panel> panels = d.panels();
      for (int i = 0; i < panels.size(); i++) {
        JsonNode a = panels.get(i).json().path("gridPos");
        if (!panels.get(i).repeat().isEmpty()) {
          soft.assertThat(a.path("w").asInt())
              .as(d.name() + " " + panels.get(i) + ": Grafana lays repeats across the row")
              .isEqualTo(24);
        }
        for (Dashboard.Panel other : panels.subList(i + 1, panels.size())) {
          JsonNode b = other.json().path("gridPos");
          soft.assertThat(overlap(a, b))
              .as(d.name() + " " + panels.get(i) + " and " + other)
              .isFalse();
        }
      }
    }
    soft.assertAll();
  }

  private static boolean overlap(JsonNode a, JsonNode b) {
    return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
        && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
        && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
        && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
  }

  /** Every variable of {@code d} at All, built-ins at typical values. */
  static Templating allOf(Dashboard d) {
    Map<String, List<String>> values = new java.util.HashMap<>();
    d.variables().forEach(v -> values.put(v.name(), List.of()));
    return new Templating(
        values, Map.of("__rate_interval", "1m", "__interval", "15s", "__range", "1h"));
  }
}
