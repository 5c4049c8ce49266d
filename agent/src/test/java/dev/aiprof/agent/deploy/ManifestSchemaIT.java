package dev.aiprof.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.NpmProject;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest, plain and rendered by the chart with each optional part on, against the
 * Kubernetes and Prometheus-operator schemas of npm {@code kubernetes-models} ({@code
 * deploy/kubernetes/check}: JSON-schema validation, and tsc --strict over each kind's interface for
 * unknown fields); and a broken file, to prove the check fails and says where.
 */
@Requires(tools = {"node", "npm"})
class ManifestSchemaIT {
  private static NpmProject checker;

  @TempDir Path dir;

  @BeforeAll
  static void install() {
    checker = NpmProject.install(Chart.deploy().resolve("kubernetes/check"), "manifest-check");
  }

  /** The chart's renderings: the defaults and every optional part. */
  static Map<String, Map<String, Object>> variants() {
    Map<String, Map<String, Object>> v = new LinkedHashMap<>();
    v.put("defaults", Map.of());
    v.put(
        "everything",
        Map.of(
            "podMonitor.enabled", true,
            "serviceMonitor.enabled", true,
            "identity.source", "kubelet",
            "config.otel\\.exporter\\.otlp\\.protocol", "http/protobuf",
            "priorityClassName", "system-node-critical",
            "extraArgs[0]", "--disable=jfr",
            "extraEnv[0].name", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "extraEnv[0].value", "http://collector:4318",
            "imagePullSecrets[0].name", "registry"));
    v.put("no-service-no-rbac", Map.of("service.enabled", false, "rbac.create", false));
    return v;
  }

  @Test
  void everyPlainAndRenderedManifestPassesTheKubernetesSchemas() throws IOException {
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(Chart.deploy().resolve("kubernetes"))) {
      s.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    assertThat(files)
        .extracting(f -> f.getFileName().toString())
        .contains("aiprof.yaml", "namespace.yaml");
    for (var e : variants().entrySet()) {
      Path f = dir.resolve("rendered-" + e.getKey() + ".yaml");
      Files.writeString(f, Chart.template(e.getValue()));
      files.add(f);
    }
    NpmProject.Result r = checker.node("check.mjs", files);
    System.out.print(r.output());
    assertThat(r.status()).as(r.output()).isZero();
    assertThat(r.output())
        .containsPattern("checked " + files.size() + " files, \\d+ documents: ok");
  }

  @Test
  void aBrokenManifestIsRejectedWithEveryMistakeNamed() throws URISyntaxException {
    Path broken =
        Path.of(ManifestSchemaIT.class.getResource("/deploy/broken-manifests.yaml").toURI());
    NpmProject.Result r = checker.node("check.mjs", List.of(broken));
    System.out.print(r.output());
    String at = broken.toAbsolutePath() + ", document ";
    assertThat(r.status()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .contains(at + "1 DaemonSet/broken: data/spec must have required property selector")
        .contains("containers/0/ports/0/containerPort must be integer")
        .contains(
            at
                + "1 DaemonSet/broken, at \"readOnlyRootFileSystem\": true: error TS2353: Object"
                + " literal may only specify known properties")
        .contains(at + "2 Gadget/nothing: no schema for apiVersion example.com/v1 kind Gadget")
        .contains("checked 1 files, 2 documents: 4 problems");
  }
}
