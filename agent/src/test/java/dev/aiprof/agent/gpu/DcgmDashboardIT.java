package dev.aiprof.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.AgentJvm;
import dev.aiprof.testing.FakeNvml;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.prometheus.PromAnswer;
import dev.aiprof.testing.prometheus.PrometheusClient;
import dev.aiprof.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code nvml.dcgm-names}, NVIDIA's published dcgm-exporter Grafana dashboard (grafana.com
 * 12239, {@code grafana/dcgm-exporter-dashboard.json}) works against the agent: its variable and
 * panel queries, written here as the dashboard has them, run on a real Prometheus 2.42 scraping
 * {@code aiprof run} (a child JVM) that reads the fake NVML's dgxh100 system, and return the values
 * the fake's script gives. The dashboard's one DCGM profiling panel ({@code
 * DCGM_FI_PROF_PIPE_TENSOR_ACTIVE}) has no NVML source and stays empty.
 */
@Requires(
    root = true,
    tools = {"prometheus", "promtool"},
    files = "/sys/kernel/btf/vmlinux")
class DcgmDashboardIT {
  /** The dashboard's variables: {@code label_values(DCGM_FI_DEV_GPU_TEMP, instance|gpu)}. */
  private static final String VARIABLE_METRIC = "DCGM_FI_DEV_GPU_TEMP";

  /** The dashboard's panel queries (the tensor-core panel aside), $instance and $gpu at All. */
  static final List<String> PANELS =
      List.of(
          "DCGM_FI_DEV_GPU_TEMP{instance=~\"$instance\", gpu=~\"$gpu\"}",
          "avg(DCGM_FI_DEV_GPU_TEMP{instance=~\"$instance\", gpu=~\"$gpu\"})",
          "DCGM_FI_DEV_POWER_USAGE{instance=~\"$instance\", gpu=~\"$gpu\"}",
          "sum(DCGM_FI_DEV_POWER_USAGE{instance=~\"$instance\", gpu=~\"$gpu\"})",
          "DCGM_FI_DEV_SM_CLOCK{instance=~\"$instance\", gpu=~\"$gpu\"} * 1000000",
          "DCGM_FI_DEV_GPU_UTIL{instance=~\"$instance\", gpu=~\"$gpu\"}",
          "DCGM_FI_DEV_FB_USED{instance=~\"$instance\", gpu=~\"$gpu\"}");

  @TempDir Path dir;

  @Test
  void nvidiasDashboardQueriesReturnTheFakesValues() throws Exception {
    int port = freePort();
    Path script = Files.writeString(dir.resolve("script"), "util 2 75\nproc 2 4242 10240 70 30\n");
    List<String> args =
        List.of(
            "run",
            "--prometheus-address",
            "127.0.0.1:" + port,
            "--output-dir",
            dir.resolve("otlp").toString(),
            "--collectors",
            "nvml",
            "--nvml-library",
            FakeNvml.current().resolve("libnvidia-ml.so.1").toString(),
            "--set",
            "nvml.dcgm-names=true",
            "--set",
            "nvml.interval=200ms");
    ProcessBuilder pb =
        new ProcessBuilder(AgentJvm.command("128m", args))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile());
    pb.environment().put(FakeNvml.SYSTEM_ENV, "dgxh100");
    pb.environment().put(FakeNvml.SCRIPT_ENV, script.toString());
    Process agent = pb.start();
    String target = "127.0.0.1:" + port;
    try (PrometheusServer prom =
        PrometheusServer.start("aiprof", List.of(target), Duration.ofSeconds(1))) {
      PrometheusClient c = prom.client();
      List<String> gpus =
          Await.until(
              "the dashboard's gpu variable",
              Duration.ofSeconds(60),
              Duration.ofMillis(500),
              () -> {
                assertThat(agent.isAlive()).as("agent:\n%s", log()).isTrue();
                List<String> v = c.labelValues("gpu", VARIABLE_METRIC);
                return v.size() == 8 ? v : null;
              });
      assertThat(gpus).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");
      List<String> instances = c.labelValues("instance", VARIABLE_METRIC);
      assertThat(instances).containsExactly(target);

      Map<String, PromAnswer> answers = new LinkedHashMap<>();
      Instant now = Instant.now();
      for (String panel : PANELS) {
        String q = panel.replace("$instance", ".*").replace("$gpu", ".*");
        PromAnswer a = c.query(q, now);
        assertThat(a.ok()).as("%s: %s", q, a).isTrue();
        assertThat(a.series()).as("%s: %s", q, a).isPositive();
        answers.put(panel, a);
        // and with the variables at one GPU, as a user picks one
        PromAnswer one = c.query(panel.replace("$instance", target).replace("$gpu", "2"), now);
        assertThat(one.series()).as("%s for gpu 2: %s", panel, one).isPositive();
      }
      assertThat(value(c, "DCGM_FI_DEV_GPU_UTIL{gpu=\"2\"}")).isEqualTo(75.0);
      assertThat(value(c, "DCGM_FI_DEV_GPU_UTIL{gpu=\"3\"}")).isEqualTo(0.0);
      assertThat(value(c, "DCGM_FI_DEV_FB_USED{gpu=\"2\"}")).isEqualTo(10240.0);
      assertThat(value(c, "DCGM_FI_DEV_POWER_USAGE{gpu=\"2\"}"))
          .isEqualTo((69_000 + 75 * 6310) / 1000.0);
      assertThat(value(c, "DCGM_FI_DEV_SM_CLOCK{gpu=\"2\"} * 1000000")).isEqualTo(1.98e9);
      assertThat(
              value(
                  c,
                  "count(DCGM_FI_DEV_GPU_TEMP{modelName=\"NVIDIA H100 80GB HBM3\", UUID=~\"GPU-.+\", Hostname!=\"\"})"))
          .isEqualTo(8.0);
      assertThat(c.query("DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", now).series())
          .as("no NVML source")
          .isZero();
      assertThat(lint(port))
          .as(
              "promtool check metrics: only dcgm-exporter's own camelCase labels (UUID, modelName...)")
          .allMatch(l -> l.startsWith("DCGM_FI_") && l.contains("'camelCase'"));
      List<String> lines = new ArrayList<>();
      answers.forEach((q, a) -> lines.add(q + " -> " + a.series() + " series"));
      System.out.println("dcgm dashboard:\n  " + String.join("\n  ", lines));
    } finally {
      agent.destroy();
      if (!agent.waitFor(30, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
    assertThat(agent.exitValue()).as("orderly stop:\n%s", log()).isZero();
  }

  /** The lines {@code promtool check metrics} prints about the agent's scrape. */
  private static List<String> lint(int port) throws Exception {
    byte[] scrape =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray())
            .body();
    Process p =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(scrape);
    }
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static double value(PrometheusClient c, String q) {
    PromAnswer a = c.query(q, Instant.now());
    assertThat(a.series()).as("%s: %s", q, a).isEqualTo(1);
    return a.result().get(0).get("value").get(1).asDouble();
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
