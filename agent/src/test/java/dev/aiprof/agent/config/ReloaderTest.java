package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.settings.Settings;
import dev.aiprof.exporters.ExportMetrics;
import io.opentelemetry.api.common.Attributes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload applies what can change live, reports the rest and rejects an invalid file whole. */
class ReloaderTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private String log() {
    String s = out.toString(StandardCharsets.UTF_8);
    out.reset();
    return s;
  }

  @Test
  void theLogLevelChangesLive() throws IOException {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Level before = root.getLevel();
    Path f = Files.writeString(dir.resolve("l.yaml"), "agent.log-level: warning\n");
    ConfigDocument start = ConfigDocument.read(f);
    LiveSettings live =
        new LiveSettings(
            ConfigValidation.validate(ConfigValidationTest.CATALOG, start, Map.of()), null);
    try {
      assertThat(root.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
      Files.writeString(f, "agent.log-level: debug\n");
      Reloader r =
          new Reloader(
              start,
              ConfigValidationTest.CATALOG,
              Map.of(),
              live,
              new PrintStream(out, true, StandardCharsets.UTF_8));
      assertThat(r.reload()).isTrue();
      assertThat(root.getLevel()).isEqualTo(java.util.logging.Level.FINE);
      assertThat(log()).contains("applied agent.log-level='debug'");
    } finally {
      root.setLevel(before);
      for (var h : root.getHandlers()) {
        h.setLevel(before);
      }
    }
  }

  @Test
  void liveKeysApplyOthersWaitForRestartInvalidIsRejected() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("c.yaml"),
            "agent.shutdown-timeout: 5s\nsched.min-event: 1ms\nidentity.source: none\n");
    ConfigDocument start = ConfigDocument.read(f);
    Settings s = ConfigValidation.validate(ConfigValidationTest.CATALOG, start, Map.of());
    LiveSettings live = new LiveSettings(s, null);
    Reloader r =
        new Reloader(
            start,
            ConfigValidationTest.CATALOG,
            Map.of("identity.source", "none"),
            live,
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(r.reload()).isTrue();
    assertThat(log()).isEqualTo("aiprof run: reload of " + f + ": nothing to apply live\n");

    Files.writeString(
        f,
        "agent:\n  shutdown-timeout: 2s\nsched.min-event: 4ms\nidentity.source: kubelet\n"
            + "otel.exporter.otlp.headers: api-key=s3cr3t\n");
    assertThat(r.reload()).isTrue();
    assertThat(live.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(log())
        .isEqualTo(
            "aiprof run: reload of "
                + f
                + ": applied agent.shutdown-timeout='2s'; changed but applied only on restart"
                + " (running values kept): sched.min-event, otel.exporter.otlp.headers; set by a"
                + " flag, the file's value ignored: identity.source\n");

    Files.writeString(f, "agent.shutdown-timeout: 3s\nsched.min-evnt: 4ms\n");
    assertThat(r.reload()).isFalse();
    assertThat(live.shutdownTimeout()).as("the old value kept").isEqualTo(Duration.ofSeconds(2));
    assertThat(log())
        .startsWith("aiprof run: reload of " + f + ": rejected, running configuration kept:")
        .contains("line 2: unknown setting 'sched.min-evnt'");

    Files.writeString(f, "sched.min-event: 1ms\nidentity.source: none\n");
    assertThat(r.reload()).isTrue();
    assertThat(live.shutdownTimeout())
        .as("removed: back to the default")
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(log()).contains("applied agent.shutdown-timeout=(default)").doesNotContain("s3cr3t");
    Recorded m = Recorded.of(r);
    assertThat(m.get(Reloader.RELOADS, Attributes.of(ExportMetrics.OUTCOME, "applied")))
        .isEqualTo(3);
    assertThat(m.get(Reloader.RELOADS, Attributes.of(ExportMetrics.OUTCOME, "rejected")))
        .isEqualTo(1);
  }
}
