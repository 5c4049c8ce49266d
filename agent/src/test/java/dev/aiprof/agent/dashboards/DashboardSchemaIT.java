package dev.aiprof.agent.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard against Grafana's published schema types (npm {@code @grafana/schema}: the
 * dashboard as {@code Dashboard}, each panel as its plugin's {@code Options} and {@code
 * FieldConfig}, each target as a Prometheus query, under {@code tsc --strict}) and every PromQL
 * expression against the Prometheus project's grammar; and a dashboard broken on purpose, to prove
 * the check can fail and says where.
 */
@Requires(tools = {"node", "npm"})
class DashboardSchemaIT {
  private static DashboardChecker checker;

  @BeforeAll
  static void install() {
    checker = DashboardChecker.install();
  }

  @Test
  void everyDashboardPassesGrafanasSchemaTypesAndPromqlSyntax() {
    List<Path> files = Dashboard.all().stream().map(Dashboard::file).toList();
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    DashboardChecker.Result r = checker.check(files);
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(r.output())
        .as(r.output())
        .containsPattern(
            "checked " + files.size() + " dashboards, \\d+ panels, \\d+ PromQL expressions: ok");
    System.out.print(r.output());
  }

  @Test
  void aBrokenDashboardIsRejectedWithEveryMistakeNamed() throws URISyntaxException {
    Path broken =
        Path.of(DashboardSchemaIT.class.getResource("/dashboards/broken-dashboard.json").toURI());
    DashboardChecker.Result r = checker.check(List.of(broken));
    System.out.print(r.output());
    assertThat(r.status()).as(r.output()).isEqualTo(1);
    String file = broken.toAbsolutePath() + ", ";
    assertThat(r.output())
        .contains(
            file + "panel 1 \"Bad legend mode\", at \"displayMode\": \"sideways\": error TS2322")
        .contains(file + "panel 2 \"Grid height as a string\", at \"h\": \"4\": error TS2322")
        .contains(file + "panel 3 \"Unknown option\", at \"lineColour\": \"red\": error TS2353")
        .contains(file + "panel 3 \"Unknown option\", query A: syntax error near")
        .contains(
            file
                + "panel 4 \"Unknown variable and a target without expr\", at {: error TS2741: Property 'expr' is missing")
        .contains(
            file
                + "panel 4 \"Unknown variable and a target without expr\", query A: unknown variable $cluster")
        .contains(
            file
                + "panel 4 \"Unknown variable and a target without expr\", query B: no PromQL expression")
        .contains(
            file + "panel 5 \"Retired panel type\": panel type \"graph\" has no published schema")
        .contains(file + "variable pod: syntax error near")
        .contains("checked 1 dashboards, 5 panels, 6 PromQL expressions: 10 problems");
  }
}
