package dev.aiprof.agent.dashboards;

import static dev.aiprof.agent.dashboards.PodWorkload.INFERENCE;
import static dev.aiprof.agent.dashboards.PodWorkload.NODE;
import static dev.aiprof.agent.dashboards.PodWorkload.TRAINER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiprof.agent.identity.Fixtures;
import dev.aiprof.agent.identity.KubeServer;
import dev.aiprof.agent.identity.TestTls;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.prometheus.PromAnswer;
import dev.aiprof.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel query of every dashboard against a real Prometheus 2.42 that scraped the real agent
 * ({@code aiprof run} as a child process, Prometheus endpoint on a free port, pod identity from a
 * kubelet stand-in serving the recorded {@code /pods} over HTTPS) while two real workloads ran
 * phases in pod-like cgroups: {@code ml/trainer-7d9f8b6c5-x2x9q} marking them through libaiprof.so,
 * {@code serving/inference-0} sending them as OTLP spans. Each query runs with the variables at All
 * and at each pod's real namespace, pod and node, and must succeed with data; the variables' {@code
 * label_values} queries must offer the pods' real names.
 */
@Requires(
    root = true,
    tools = {"prometheus", "promtool", "taskset"},
    files = "/sys/kernel/btf/vmlinux")
class DashboardQueriesIT {
  private static final int ROUNDS = 1000; // more than the test needs: the workloads are killed
  private static final Duration SCRAPE = Duration.ofSeconds(1);
  private static final Duration RATE = Duration.ofSeconds(15);
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Duration PATIENCE = Duration.ofMinutes(3);
  private static final String TOKEN = "dashboards-token";

  @TempDir Path dir;

  @Test
  void everyPanelQueryOfEveryDashboardReturnsDataFromPrometheusScrapingTheAgent() throws Exception {
    Path lib = markerLibrary();
    Path data = dataFile();
    int metricsPort = freePort();
    int otlpPort = freePort();
    String otlp = "http://127.0.0.1:" + otlpPort + "/v1/traces";
    try (KubeServer kubelet = KubeServer.start(TOKEN);
        PodWorkload trainer = PodWorkload.start(TRAINER, 0, ROUNDS, data, lib, null).withTcp();
        PodWorkload inference =
            PodWorkload.start(INFERENCE, 1, ROUNDS, data, null, otlp).withTcp()) {
      kubelet.route("/pods", KubeServer.json(Fixtures.bytes("pods-containerd.json")));
      List<String> args =
          List.of(
              "--output-dir",
              dir.resolve("otlp").toString(),
              "--disable",
              "jfr",
              "--enable",
              "fileio",
              "--follow-pid",
              Long.toString(inference.pid()),
              "--set",
              "identity.source=kubelet",
              "--set",
              "identity.kubelet-url=" + kubelet.uri("/pods"),
              "--set",
              "identity.token-file=" + KubeServer.tokenFile(dir, TOKEN),
              "--set",
              "identity.ca-file=" + TestTls.caFile(),
              "--set",
              "identity.node-name=" + NODE,
              "--set",
              "marker.libraries=" + lib,
              "--set",
              "otlp.grpc-address=off",
              // Host readings every second, as often as Prometheus scrapes: the host CPU panels
              // have a rate after two readings (the default 10 s kept them NaN for ~15 s).
              "--set",
              "host.interval=1s",
              "--set",
              "otlp.http-address=127.0.0.1:" + otlpPort);
      String target = "127.0.0.1:" + metricsPort;
      try (AgentProcess agent = AgentProcess.start(metricsPort, dir.resolve("agent.log"), args);
          PrometheusServer prometheus = PrometheusServer.start("aiprof", List.of(target), SCRAPE)) {
        agent.awaitMetrics(
            "aiprof_collector_success{aiprof_collector=\"marker\"", Duration.ofSeconds(60));
        trainer.go();
        inference.go();
        Instant start = Instant.now();
        List<String> problems = List.of("not run yet");
        PanelQueries q = null;
        while (!problems.isEmpty()
            && Duration.between(start, Instant.now()).compareTo(PATIENCE) < 0) {
          Thread.sleep(1000); // a pass takes ~1.5 s itself
          Instant now = Instant.now();
          q = new PanelQueries(prometheus.client(), start, now, STEP);
          problems =
              problems(q, target, PanelQueries.builtins(RATE, STEP, Duration.between(start, now)));
        }
        Duration took = Duration.between(start, Instant.now());
        assertThat(problems)
            .as(
                "queries without data after %s s (agent log below)%n%s",
                took.toSeconds(), agent.log())
            .isEmpty();
        System.out.printf(
            "dashboards: every panel query returned data %d s after the workloads started (%d queries"
                + " in the last pass; %s)%n",
            took.toSeconds(), q.queries(), q.oneShots());
        // The tables sum the phases over the time range: shortly after the first data they hold
        // only a round or two. Checked again over a growing range until they hold, 30 s at most.
        Instant deadline = Instant.now().plusSeconds(30);
        for (; ; ) {
          Instant now = Instant.now();
          PanelQueries range = new PanelQueries(prometheus.client(), start, now, STEP);
          Map<String, String> builtins =
              PanelQueries.builtins(RATE, STEP, Duration.between(start, now));
          try {
            checkWhereTheTrainersPhaseTimeWent(range, builtins);
            checkTheTrainersPhaseIo(range, builtins);
            break;
          } catch (AssertionError e) {
            if (Instant.now().isAfter(deadline)) {
              throw e;
            }
          }
          Thread.sleep(1000);
        }
        agent.close();
        assertThat(agent.exitValue()).as("orderly stop on SIGTERM:\n%s", agent.log()).isZero();
      }
    } finally {
      Files.deleteIfExists(data);
    }
  }

  /** Every problem of the variables and panels, under the three bindings. */
  private static List<String> problems(
      PanelQueries q, String target, Map<String, String> builtins) {
    List<String> problems = new ArrayList<>();
    for (Dashboard d : Dashboard.all()) {
      for (var b : bindings().entrySet()) {
        Templating t = new Templating(b.getValue(), builtins);
        problems.addAll(variableProblems(q, d, b.getKey(), t, target));
        problems.addAll(q.problems(d, b.getKey(), t));
      }
    }
    return problems;
  }

  /** All, then each pod's real namespace, pod and node (and a phase each marked). */
  static Map<String, Map<String, List<String>>> bindings() {
    Map<String, Map<String, List<String>>> b = new LinkedHashMap<>();
    b.put("all", values(List.of(), List.of(), List.of(), List.of()));
    b.put(
        "trainer",
        values(
            List.of(NODE),
            List.of(TRAINER.namespace()),
            List.of(TRAINER.name()),
            List.of("compute")));
    b.get("trainer").put("workload", List.of(TRAINER.namespace() + "/" + TRAINER.name()));
    b.put(
        "inference",
        values(
            List.of(NODE),
            List.of(INFERENCE.namespace()),
            List.of(INFERENCE.name()),
            List.of("io")));
    b.get("inference").put("workload", List.of(INFERENCE.namespace() + "/" + INFERENCE.name()));
    return b;
  }

  static Map<String, List<String>> values(
      List<String> node, List<String> namespace, List<String> pod, List<String> phase) {
    Map<String, List<String>> v = new HashMap<>();
    v.put("datasource", List.of("prometheus"));
    v.put("node", node);
    v.put("namespace", namespace);
    v.put("pod", pod);
    v.put("phase", phase);
    v.put("instance", List.of());
    v.put("service", List.of());
    v.put("workload", List.of());
    return v;
  }

  /** The label_values of each variable must offer the workloads' real names. */
  private static List<String> variableProblems(
      PanelQueries q, Dashboard d, String binding, Templating t, String target) {
    Map<String, List<String>> expected = new HashMap<>();
    expected.put("node", List.of(NODE));
    expected.put("instance", List.of(target));
    switch (binding) {
      case "all" -> {
        expected.put("namespace", List.of(TRAINER.namespace(), INFERENCE.namespace()));
        expected.put("pod", List.of(TRAINER.name(), INFERENCE.name()));
        expected.put("phase", List.of("load", "compute", "wait", "io"));
        expected.put(
            "workload",
            List.of(
                TRAINER.namespace() + "/" + TRAINER.name(),
                INFERENCE.namespace() + "/" + INFERENCE.name()));
      }
      case "trainer" -> {
        expected.put("pod", List.of(TRAINER.name()));
        expected.put("phase", List.of("load", "compute", "wait", "io"));
      }
      default -> {
        expected.put("pod", List.of(INFERENCE.name()));
        expected.put("phase", List.of("load", "compute", "wait", "io"));
      }
    }
    List<String> problems = new ArrayList<>();
    for (Dashboard.Variable v : d.variables()) {
      if (!v.type().equals("query") || !expected.containsKey(v.name())) {
        continue;
      }
      List<String> got;
      try {
        got = q.variableValues(v, t);
      } catch (RuntimeException e) {
        problems.add(d.name() + ", variable " + v.name() + " [" + binding + "]: " + e);
        continue;
      }
      if (!got.containsAll(expected.get(v.name()))) {
        problems.add(
            d.name()
                + ", variable "
                + v.name()
                + " ["
                + binding
                + ": "
                + t
                + "]: offers "
                + got
                + ", expected "
                + expected.get(v.name()));
      }
      if (v.name().equals("pod") && !binding.equals("all")) {
        String other = binding.equals("trainer") ? INFERENCE.name() : TRAINER.name();
        if (got.contains(other)) {
          problems.add(
              d.name()
                  + ", variable pod ["
                  + binding
                  + "]: offers "
                  + other
                  + " of another namespace");
        }
      }
    }
    return problems;
  }

  /**
   * The phase breakdown table shows where the trainer's injected stalls went: its {@code compute}
   * phase competes with a busy thread on its CPU (runqueue), its {@code wait} phase sleeps.
   */
  private static void checkWhereTheTrainersPhaseTimeWent(
      PanelQueries q, Map<String, String> builtins) {
    Dashboard phases = Dashboard.read(Dashboard.directory().resolve("aiprof-phases.json"));
    Dashboard.Panel table =
        phases.panels().stream()
            .filter(p -> p.title().equals("Phase breakdown over the time range"))
            .findFirst()
            .orElseThrow();
    Templating trainer =
        new Templating(
            values(List.of(NODE), List.of(TRAINER.namespace()), List.of(TRAINER.name()), List.of()),
            builtins);
    Map<String, Double> runqueue = byPhase(q.run(target(table, "F"), trainer));
    Map<String, Double> sleep = byPhase(q.run(target(table, "H"), trainer));
    System.out.println("trainer phases: runqueue share " + runqueue + ", sleep share " + sleep);
    assertThat(runqueue.get("compute")).as("compute: runqueue share").isGreaterThan(0.2);
    assertThat(sleep.get("wait")).as("wait: sleep share").isGreaterThan(0.5);
  }

  /**
   * The per-phase I/O table shows the trainer's own I/O, not only the zeros a phase without any
   * gets: its {@code load} phase reads the 8 MiB data file cold (bytes read, page-cache misses),
   * its {@code io} phase reads it with O_DIRECT (bytes read, block-I/O wait), {@code compute} none.
   */
  private static void checkTheTrainersPhaseIo(PanelQueries q, Map<String, String> builtins) {
    Dashboard io = Dashboard.read(Dashboard.directory().resolve("aiprof-io.json"));
    Dashboard.Panel table =
        io.panels().stream().filter(p -> p.type().equals("table")).findFirst().orElseThrow();
    Templating trainer =
        new Templating(
            values(List.of(NODE), List.of(TRAINER.namespace()), List.of(TRAINER.name()), List.of()),
            builtins);
    Map<String, Double> wait = byPhase(q.run(target(table, "B"), trainer));
    Map<String, Double> read = byPhase(q.run(target(table, "C"), trainer));
    Map<String, Double> misses = byPhase(q.run(target(table, "G"), trainer));
    System.out.println(
        "trainer phases: block-I/O wait " + wait + ", bytes read " + read + ", misses " + misses);
    assertThat(read.get("load")).as("load: bytes read per phase").isGreaterThan(4 << 20);
    assertThat(read.get("io")).as("io: bytes read per phase").isGreaterThan(4 << 20);
    assertThat(misses.get("load")).as("load: page-cache misses per phase").isGreaterThan(512);
    assertThat(wait.get("io")).as("io: block-I/O wait per phase").isPositive();
    assertThat(wait.get("compute")).as("compute: block-I/O wait per phase").isZero();
  }

  private static Dashboard.Target target(Dashboard.Panel p, String refId) {
    return p.targets().stream().filter(t -> t.refId().equals(refId)).findFirst().orElseThrow();
  }

  private static Map<String, Double> byPhase(PromAnswer a) {
    assertThat(a.ok()).as(a.toString()).isTrue();
    Map<String, Double> out = new HashMap<>();
    for (JsonNode s : a.result()) {
      out.put(
          s.path("metric").path("aiprof_phase_name").asText(), s.path("value").path(1).asDouble());
    }
    return out;
  }

  static Path markerLibrary() {
    Path lib = Dashboard.directory().getParent().resolve("marker/target/libaiprof.so");
    assertThat(lib).as("build the marker module first (mvn -pl marker)").exists();
    return lib;
  }

  /**
   * 8 MiB of random bytes on a real disk (not tmpfs), for the workloads' cold and O_DIRECT reads.
   */
  static Path dataFile() throws IOException {
    Path data = Files.createTempFile(Path.of("/var/tmp"), "aiprof-dashboards-", ".bin");
    byte[] chunk = new byte[1 << 20];
    new Random(7).nextBytes(chunk);
    try (OutputStream out = Files.newOutputStream(data)) {
      for (int i = 0; i < 8; i++) {
        out.write(chunk);
      }
    }
    return data;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
