package dev.aiprof.agent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart through Helm's own code (helm-java embeds Helm 3): {@code helm lint --strict}
 * clean, {@code helm template} with the defaults and with each optional part, the DaemonSet's
 * security properties (never privileged, the named capabilities only, read-only root, every host
 * path read-only), RBAC of the one pod source chosen, and the plain manifests of {@code
 * deploy/kubernetes} equal to the chart's rendering (one definition, not two kept by hand).
 */
class HelmChartTest {
  static final List<String> CAPABILITIES =
      List.of("BPF", "PERFMON", "SYS_ADMIN", "SYS_RESOURCE", "SYS_PTRACE", "DAC_READ_SEARCH");

  @Test
  void helmLintStrictFindsNothing() {
    LintResult r = new Helm(Chart.chart()).lint().strict().call();
    System.out.println("helm lint --strict: " + String.join(" | ", r.getMessages()));
    assertThat(r.isFailed()).as(String.join("\n", r.getMessages())).isFalse();
    assertThat(r.getMessages())
        .as("lint messages (only the recommendation of an icon, which the chart leaves out)")
        .allMatch(
            m -> m.isBlank() || m.startsWith("==> Linting") || m.contains("icon is recommended"));
  }

  @Test
  void theDefaultsRenderTheAgentWithoutTheOperatorsResources() {
    List<JsonNode> docs = Chart.documents(Chart.template(Map.of()));
    assertThat(Chart.kinds(docs))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "ConfigMap",
            "Service",
            "DaemonSet");
    JsonNode config = Chart.get(docs, "ConfigMap").path("data").path("config.yaml");
    assertThat(config.asText()).startsWith("# ").doesNotContain("\n ").hasLineCount(1);
    assertThat(HelmChartTest.texts(Chart.container(docs).path("args")))
        .contains("--set=identity.source=apiserver");
  }

  @Test
  void configValuesKeepTheirTextThroughTheConfigMap() throws Exception {
    String hostile = "a: b #c";
    List<JsonNode> docs =
        Chart.documents(
            Chart.template(
                Map.of(
                    "config.otel\\.resource\\.attributes", hostile,
                    "config.sched\\.retention", "30s",
                    "config.profile\\.enabled", "no")));
    String text = Chart.get(docs, "ConfigMap").path("data").path("config.yaml").asText();
    JsonNode config = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text);
    assertThat(config.path("otel.resource.attributes").asText()).as(text).isEqualTo(hostile);
    assertThat(config.path("sched.retention").asText()).as(text).isEqualTo("30s");
    assertThat(config.path("profile.enabled").isTextual()).as(text).isTrue();
    assertThat(config.path("profile.enabled").asText()).as(text).isEqualTo("no");
  }

  @Test
  void theDaemonSetIsLeastPrivilege() {
    List<JsonNode> docs = Chart.documents(Chart.template(Map.of()));
    JsonNode pod = Chart.get(docs, "DaemonSet").path("spec").path("template").path("spec");
    JsonNode c = Chart.container(docs);
    JsonNode sc = c.path("securityContext");
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(pod.path("hostPID").asBoolean()).as("hostPID").isTrue();
    soft.assertThat(pod.path("hostNetwork").asBoolean(false)).as("hostNetwork").isFalse();
    soft.assertThat(sc.path("privileged").asBoolean(true)).as("privileged").isFalse();
    soft.assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
    soft.assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("read-only root").isTrue();
    soft.assertThat(texts(sc.path("capabilities").path("drop"))).containsExactly("ALL");
    soft.assertThat(texts(sc.path("capabilities").path("add")))
        .containsExactlyElementsOf(CAPABILITIES);
    List<String> hostVolumes = new ArrayList<>();
    for (JsonNode v : pod.path("volumes")) {
      if (v.has("hostPath")) {
        hostVolumes.add(v.path("name").asText());
      }
    }
    soft.assertThat(hostVolumes).contains("host-proc", "host-sys");
    for (JsonNode m : c.path("volumeMounts")) {
      if (hostVolumes.contains(m.path("name").asText())) {
        soft.assertThat(m.path("readOnly").asBoolean())
            .as(m.path("mountPath") + " read-only")
            .isTrue();
      }
    }
    soft.assertThat(texts(c.path("args")))
        .contains("--procfs=/host/proc", "--sysfs=/host/sys", "--cgroupfs=/host/sys/fs/cgroup")
        .contains("--config=/etc/aiprof/config.yaml")
        .contains("--prometheus-address=$(POD_IP):9464");
    soft.assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    soft.assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    soft.assertThat(c.path("livenessProbe").path("httpGet").path("port").asText())
        .isEqualTo("metrics");
    soft.assertThat(c.path("readinessProbe").path("httpGet").path("port").asText())
        .isEqualTo("metrics");
    soft.assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(9464);
    soft.assertThat(c.path("resources").path("requests").path("memory").asText())
        .isEqualTo("192Mi");
    soft.assertThat(c.path("resources").path("limits").path("memory").asText()).isEqualTo("448Mi");
    soft.assertThat(
            StreamSupport.stream(pod.path("tolerations").spliterator(), false)
                .map(t -> t.path("key").asText() + " " + t.path("operator").asText()))
        .contains("nvidia.com/gpu Exists");
    soft.assertAll();
  }

  @Test
  void rbacGrantsOnlyWhatTheChosenPodSourceReads() {
    JsonNode role = Chart.get(Chart.documents(Chart.template(Map.of())), "ClusterRole");
    assertThat(rules(role)).containsExactly("/pods get,list,watch");
    List<JsonNode> kubelet = Chart.documents(Chart.template(Map.of("identity.source", "kubelet")));
    assertThat(rules(Chart.get(kubelet, "ClusterRole"))).containsExactly("/nodes/proxy get");
    assertThat(texts(Chart.container(kubelet).path("args")))
        .contains(
            "--set=identity.source=kubelet",
            "--set=identity.kubelet-url=https://$(HOST_IP):10250/pods");
  }

  @Test
  void withoutUprobesTheChartLeavesSysAdminAndTheirCollectorsOut() {
    JsonNode c = Chart.container(Chart.documents(Chart.template(Map.of("uprobes", "false"))));
    assertThat(texts(c.path("securityContext").path("capabilities").path("add")))
        .doesNotContain("SYS_ADMIN")
        .contains("BPF", "PERFMON");
    // Else run refuses to start (exit 2) for want of the capability marker and cuda need.
    assertThat(texts(c.path("args"))).contains("--disable=marker,cuda");
    assertThat(texts(Chart.container(Chart.documents(Chart.template(Map.of()))).path("args")))
        .noneMatch(a -> a.startsWith("--disable"));
  }

  @Test
  void anUnknownPodSourceIsRefusedWithTheChoices() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> Chart.template(Map.of("identity.source", "etcd"))))
        .hasMessageContaining("identity.source is \"etcd\": use apiserver or kubelet");
  }

  @Test
  void theOperatorsMonitorsRenderWhenAsked() {
    List<JsonNode> docs =
        Chart.documents(
            Chart.template(Map.of("podMonitor.enabled", true, "serviceMonitor.enabled", true)));
    JsonNode pm = Chart.get(docs, "PodMonitor");
    JsonNode sm = Chart.get(docs, "ServiceMonitor");
    assertThat(pm.path("spec").path("podMetricsEndpoints").get(0).path("port").asText())
        .isEqualTo("metrics");
    assertThat(sm.path("spec").path("endpoints").get(0).path("port").asText()).isEqualTo("metrics");
    assertThat(pm.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(Chart.get(docs, "DaemonSet").path("spec").path("selector").path("matchLabels"));
  }

  @Test
  void aServiceMonitorWithoutTheServiceIsRefusedWithTheFix() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    Chart.template(
                        Map.of("serviceMonitor.enabled", true, "service.enabled", false))))
        .hasMessageContaining("serviceMonitor.enabled needs service.enabled");
  }

  @Test
  void thePlainManifestsAreTheChartsRendering() throws IOException {
    for (var e : PlainManifests.FILES.entrySet()) {
      Path file = Chart.deploy().resolve("kubernetes").resolve(e.getKey());
      String expected = PlainManifests.render(e.getKey());
      String actual = Files.exists(file) ? Files.readString(file) : "";
      if (!actual.equals(expected)) {
        Path fresh = Path.of("target", "deploy-kubernetes", e.getKey());
        Files.createDirectories(fresh.getParent());
        Files.writeString(fresh, expected);
        throw new AssertionError(
            file
                + " differs from the chart's rendering: copy "
                + fresh.toAbsolutePath()
                + " over it");
      }
    }
  }

  private static List<String> rules(JsonNode role) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : role.path("rules")) {
      for (JsonNode res : r.path("resources")) {
        out.add(
            String.join(",", texts(r.path("apiGroups")))
                + "/"
                + res.asText()
                + " "
                + String.join(",", texts(r.path("verbs"))));
      }
    }
    return out;
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
