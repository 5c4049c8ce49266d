package dev.aiprof.agent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each file of {@code deploy/kubernetes} is made from the chart: {@code aiprof.yaml} is {@code
 * helm template aiprof deploy/helm/aiprof --namespace aiprof} with the defaults, {@code
 * podmonitor.yaml} and {@code servicemonitor.yaml} the operator's resources alone. {@code
 * namespace.yaml} is written by hand (Helm does not own the namespace). Stateless.
 */
final class PlainManifests {
  /** File name to the values it is rendered with and the kinds it keeps (empty: all). */
  static final Map<String, Map.Entry<Map<String, Object>, List<String>>> FILES = files();

  private PlainManifests() {}

  private static Map<String, Map.Entry<Map<String, Object>, List<String>>> files() {
    Map<String, Map.Entry<Map<String, Object>, List<String>>> f = new LinkedHashMap<>();
    f.put("aiprof.yaml", Map.entry(Map.of(), List.of()));
    f.put("podmonitor.yaml", Map.entry(Map.of("podMonitor.enabled", true), List.of("PodMonitor")));
    f.put(
        "servicemonitor.yaml",
        Map.entry(Map.of("serviceMonitor.enabled", true), List.of("ServiceMonitor")));
    return f;
  }

  /** The file's expected text: a header, then the rendered documents it keeps. */
  static String render(String file) {
    var spec = FILES.get(file);
    String text = Chart.template(spec.getKey());
    StringBuilder out =
        new StringBuilder(
            "# Generated from deploy/helm/aiprof (helm template aiprof deploy/helm/aiprof"
                + " --namespace aiprof"
                + spec.getKey().entrySet().stream()
                    .map(e -> " --set " + e.getKey() + "=" + e.getValue())
                    .reduce("", String::concat)
                + "); HelmChartTest checks it. Do not edit: change the chart.\n");
    for (String doc : text.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) {
        continue;
      }
      List<JsonNode> parsed = Chart.documents(doc);
      if (parsed.isEmpty()) {
        continue;
      }
      if (spec.getValue().isEmpty()
          || spec.getValue().contains(parsed.get(0).path("kind").asText())) {
        out.append("---\n").append(doc.strip()).append('\n');
      }
    }
    return out.toString();
  }

  /** Every plain file's documents, the hand-written namespace included. */
  static Map<String, List<JsonNode>> all() {
    Map<String, List<JsonNode>> out = new LinkedHashMap<>();
    out.put("namespace.yaml", Chart.documents(Chart.deploy().resolve("kubernetes/namespace.yaml")));
    for (String f : FILES.keySet()) {
      out.put(f, Chart.documents(Chart.deploy().resolve("kubernetes").resolve(f)));
    }
    return out;
  }
}
