package dev.aiprof.agent.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import dev.aiprof.testing.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards on a host without Kubernetes: every panel query of every dashboard against a real
 * Prometheus 2.42 that scraped the real agent ({@code identity.source=none}) while two real
 * workloads ran phases: one in a systemd unit's cgroup ({@code aiprof-dash-PID.service}, marking
 * phases through libaiprof.so) and one plain process in a cgroup no unit or pod owns (sending its
 * phases as OTLP spans). Each query runs with the variables at All, at the unit and at the plain
 * process, and must succeed with data; the workload variable must offer both. A plain process is
 * its cgroup in the scheduler series ({@code cgroup:PATH}) and its executable in the phase series
 * ({@code process/java}): selecting it means selecting both names.
 */
@Requires(
    root = true,
    tools = {"prometheus", "promtool", "taskset"},
    files = "/sys/kernel/btf/vmlinux")
class HostDashboardQueriesIT {
  private static final Duration SCRAPE = Duration.ofSeconds(1);
  private static final Duration RATE = Duration.ofSeconds(15);
  private static final Duration STEP = Duration.ofSeconds(5);
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @TempDir Path dir;

  @Test
  void everyPanelQueryReturnsDataForASystemdUnitAndAPlainProcess() throws Exception {
    long me = ProcessHandle.current().pid();
    String unit = "aiprof-dash-" + me + ".service";
    String top = "aiprof-dash-" + me;
    String plainCgroup = top + "/plain";
    Path lib = DashboardQueriesIT.markerLibrary();
    Path data = DashboardQueriesIT.dataFile();
    int metricsPort = DashboardQueriesIT.freePort();
    int otlpPort = DashboardQueriesIT.freePort();
    String otlp = "http://127.0.0.1:" + otlpPort + "/v1/traces";
    try (PodWorkload service =
            PodWorkload.startIn(top + "/" + unit, null, 0, 1000, data, lib, null).withTcp();
        PodWorkload plain =
            PodWorkload.startIn(plainCgroup, null, 1, 1000, data, null, otlp).withTcp()) {
      List<String> args =
          List.of(
              "--output-dir",
              dir.resolve("otlp").toString(),
              "--disable",
              "jfr",
              "--enable",
              "fileio",
              "--follow-pid",
              Long.toString(plain.pid()),
              "--set",
              "identity.source=none",
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
        service.go();
        plain.go();
        Instant start = Instant.now();
        Map<String, Map<String, List<String>>> bindings = new LinkedHashMap<>();
        bindings.put("all", DashboardQueriesIT.values(List.of(), List.of(), List.of(), List.of()));
        bindings.put("unit", DashboardQueriesIT.values(List.of(), List.of(), List.of(), List.of()));
        bindings.get("unit").put("workload", List.of(unit));
        bindings.get("unit").put("service", List.of("aiprof-dash-" + me));
        bindings.put(
            "process", DashboardQueriesIT.values(List.of(), List.of(), List.of(), List.of()));
        bindings.get("process").put("workload", List.of("cgroup:/" + plainCgroup, "process/java"));
        List<String> problems = List.of("not run yet");
        while (!problems.isEmpty()
            && Duration.between(start, Instant.now()).compareTo(PATIENCE) < 0) {
          Thread.sleep(1000); // a pass takes ~1.5 s itself
          Instant now = Instant.now();
          PanelQueries q = new PanelQueries(prometheus.client(), start, now, STEP);
          Map<String, String> builtins =
              PanelQueries.builtins(RATE, STEP, Duration.between(start, now));
          problems = new ArrayList<>();
          for (Dashboard d : Dashboard.all()) {
            for (var b : bindings.entrySet()) {
              Templating t = new Templating(b.getValue(), builtins);
              problems.addAll(q.problems(d, b.getKey(), t));
            }
            Templating all = new Templating(bindings.get("all"), builtins);
            List<String> offered = q.variableValues(d.variable("workload"), all);
            if (!offered.contains(unit)
                || !(offered.contains("cgroup:/" + plainCgroup)
                    || offered.contains("process/java"))) {
              problems.add(d.name() + ", variable workload offers " + offered);
            }
          }
        }
        Duration took = Duration.between(start, Instant.now());
        assertThat(problems)
            .as(
                "queries without data after %s s (agent log below)%n%s",
                took.toSeconds(), agent.log())
            .isEmpty();
        System.out.printf(
            "host dashboards: every panel query returned data %d s after the workloads started%n",
            took.toSeconds());
        agent.close();
        assertThat(agent.exitValue()).as("orderly stop on SIGTERM:\n%s", agent.log()).isZero();
      }
    } finally {
      Files.deleteIfExists(data);
    }
  }
}
