package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.run.Agent;
import dev.aiprof.agent.run.RunOptions;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.SystemProperties;
import dev.aiprof.testing.backends.Await;
import dev.aiprof.testing.backends.Ports;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Agent#readiness()} of a real agent (the sched probe attached) exporting OTLP metrics to a
 * port where nothing listens, then to a backend that comes up there: not ready, then ready.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class ReadinessIT {
  @TempDir Path dir;
  @RegisterExtension final SystemProperties properties = new SystemProperties();

  @Test
  void readyWithTheProbeAttachedUntilTheBackendIsUnreachableAndAgainOnceItIsBack()
      throws Exception {
    properties.set("otel.metric.export.interval", "300");
    properties.set("otel.exporter.otlp.timeout", "500");
    int port = Ports.free();
    CollectorCatalog catalog = CollectorCatalog.discover();
    var settings =
        AgentSettings.catalog(catalog).validate(Map.of("agent.ready-export-window", "1s"));
    RunOptions o =
        new RunOptions(
            new ExporterOptions(
                "http://127.0.0.1:" + port, false, null, dir, Map.of(), "h", null, "test"),
            CollectorChoice.only(Set.of("sched")),
            List.of(),
            HostPaths.defaults(),
            Path.of("/sys/kernel/btf/vmlinux"),
            null,
            settings);
    try (Agent agent = Agent.start(o, catalog)) {
      Readiness r = agent.readiness();
      assertThat(r.checks())
          .filteredOn(c -> c.name().equals("probe:sched"))
          .singleElement()
          .extracting(HealthCheck::ok)
          .isEqualTo(true);
      HealthCheck down =
          Await.until(
              "the exporter check to fail",
              Duration.ofSeconds(30),
              Duration.ofMillis(100),
              () ->
                  check(r, "exporter:metrics/otlp").ok() ? null : check(r, "exporter:metrics/otlp"),
              () -> r.checks().toString());
      assertThat(r.healthy()).isFalse();
      assertThat(down.detail()).contains("never succeeded").contains("reachable");
      HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 8);
      backend.createContext(
          "/",
          x -> {
            try (x) {
              x.getRequestBody().readAllBytes();
              x.getResponseHeaders().add("Content-Type", "application/x-protobuf");
              x.sendResponseHeaders(200, -1);
            }
          });
      backend.start();
      try {
        Await.until(
            "ready again",
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            () -> r.healthy() ? Boolean.TRUE : null,
            () -> r.checks().toString());
        assertThat(check(r, "exporter:metrics/otlp").detail()).isEqualTo("last export succeeded");
      } finally {
        agent.close();
        backend.stop(0);
      }
    }
  }

  private static HealthCheck check(Readiness r, String name) {
    return r.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }
}
