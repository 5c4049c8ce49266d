package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.backends.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent run from a YAML file: the environment wins over the file, SIGHUP applies what can
 * change live without a restart (counters keep counting), reports the rest, rejects an invalid
 * file; self-telemetry and the reload counter on the real Prometheus endpoint.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ConfigReloadIT {
  @TempDir Path dir;

  @Test
  void sighupAppliesLiveKeysKeepsTheRestAndRejectsABadFile() throws Exception {
    int filePort = Ports.free();
    int envPort = Ports.free();
    Path f = dir.resolve("config.yaml");
    String base =
        """
        collectors:
          only: [sched]
        otel:
          exporter.prometheus.port: %d
          metric.export.interval: 600000
        """
            .formatted(filePort);
    Files.writeString(f, base + "agent.shutdown-timeout: 20s\nsched.min-event: 100us\n");
    try (RunningAgent a =
        RunningAgent.start(
            List.of("--config", f.toString(), "--output-dir", dir.resolve("out").toString()),
            Map.of("OTEL_EXPORTER_PROMETHEUS_PORT", Integer.toString(envPort)))) {
      a.awaitLine("running until");
      String first = a.awaitSeries(envPort, "aiprof_sched_cpu_time_seconds_total", 0);
      assertThat(Ports.listening(filePort)).as("the environment wins over the file").isFalse();
      assertThat(RunningAgent.value(first, "aiprof_agent_cpu_time_seconds_total")).isPositive();
      assertThat(first).contains("aiprof_agent_gc_pauses_total", "aiprof_collector_success");
      double cpu = RunningAgent.value(first, "aiprof_sched_cpu_time_seconds_total");

      Files.writeString(f, base + "agent.shutdown-timeout: 3s\nsched.min-event: 1ms\n");
      a.signal("HUP");
      assertThat(a.awaitLine("reload of " + f))
          .endsWith(
              ": applied agent.shutdown-timeout='3s'; changed but applied only on restart"
                  + " (running values kept): sched.min-event");
      String after =
          a.awaitSeries(envPort, "aiprof_agent_config_reloads_total{aiprof_outcome=\"applied\"", 1);
      assertThat(RunningAgent.value(after, "aiprof_sched_cpu_time_seconds_total"))
          .as("the same probes go on counting: nothing restarted")
          .isGreaterThan(cpu);

      Files.writeString(f, base + "agent.shutdown-timeout: 3 seconds\n");
      a.signal("HUP");
      assertThat(a.awaitLine("rejected, running configuration kept"))
          .contains("line 6: invalid agent.shutdown-timeout '3 seconds'");
      a.awaitSeries(envPort, "aiprof_agent_config_reloads_total{aiprof_outcome=\"rejected\"", 1);
      assertThat(a.process.isAlive()).isTrue();

      a.signal("TERM");
      assertThat(a.awaitLine("stopping (SIGTERM)"))
          .as("the reloaded deadline, not the rejected one")
          .endsWith("flushing and detaching within 3s");
      assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(a.process.exitValue()).as(a.stderr()).isZero();
    }
  }
}
