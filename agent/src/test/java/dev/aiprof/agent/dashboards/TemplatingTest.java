package dev.aiprof.agent.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatingTest {
  private final Templating t =
      new Templating(
          Map.of("pod", List.of("trainer-0"), "namespace", List.of(), "node", List.of("a", "b.c")),
          Map.of("__rate_interval", "15s"));

  @Test
  void formatsValuesAsGrafanaDoesForRegexMatchers() {
    assertThat(
            t.apply(
                "rate(x{k8s_pod_name=~\"$pod\", k8s_namespace_name=~\"${namespace}\","
                    + " k8s_node_name=~\"[[node]]\"}[$__rate_interval])"))
        .isEqualTo(
            "rate(x{k8s_pod_name=~\"trainer-0\", k8s_namespace_name=~\".*\","
                + " k8s_node_name=~\"(a|b\\\\.c)\"}[15s])");
  }

  @Test
  void aSingleValueReplacesAll() {
    assertThat(t.with("namespace", "ml").apply("{n=~\"$namespace\"}")).isEqualTo("{n=~\"ml\"}");
  }

  @Test
  void anUnknownVariableIsAnError() {
    assertThatThrownBy(() -> t.apply("x{a=~\"$cluster\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$cluster");
  }
}
