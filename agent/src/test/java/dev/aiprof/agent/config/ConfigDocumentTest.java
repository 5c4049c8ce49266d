package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the config file: YAML flattened to the --set keys, properties kept, errors by line. */
class ConfigDocumentTest {
  @TempDir Path dir;

  private ConfigDocument read(String name, String text) throws IOException {
    return ConfigDocument.read(Files.writeString(dir.resolve(name), text));
  }

  @Test
  void nestedMapsAreTheDottedKeys() throws IOException {
    ConfigDocument nested =
        read(
            "a.yaml",
            """
            # the agent's config
            otlp:
              http-address: 127.0.0.1:4318
              grpc-address: "off"
            sched: {min-event: 1ms}
            marker.libraries:
              - /opt/a/libaiprof.so
              - /opt/b/libaiprof.so
            otel:
              exporter.otlp.endpoint: http://collector:4318
            """);
    assertThat(nested.settings())
        .containsExactly(
            java.util.Map.entry("otlp.http-address", "127.0.0.1:4318"),
            java.util.Map.entry("otlp.grpc-address", "off"),
            java.util.Map.entry("sched.min-event", "1ms"),
            java.util.Map.entry("marker.libraries", "/opt/a/libaiprof.so,/opt/b/libaiprof.so"));
    assertThat(nested.export())
        .containsExactly(
            java.util.Map.entry("otel.exporter.otlp.endpoint", "http://collector:4318"));
    assertThat(nested.line("otlp.grpc-address")).isEqualTo(4);
    assertThat(nested.line("marker.libraries")).isEqualTo(6);
    ConfigDocument dotted =
        read(
            "b.yaml",
            """
            otlp.http-address: 127.0.0.1:4318
            otlp.grpc-address: "off"
            sched.min-event: 1ms
            marker.libraries: /opt/a/libaiprof.so,/opt/b/libaiprof.so
            otel.exporter.otlp.endpoint: http://collector:4318
            """);
    assertThat(dotted.settings()).isEqualTo(nested.settings());
    assertThat(dotted.export()).isEqualTo(nested.export());
  }

  @Test
  void scalarsKeepTheirTextAndAnEmptyFileHasNoKeys() throws IOException {
    ConfigDocument d =
        read("s.yaml", "sched:\n  enabled: true\n  min-stall: 5ms\notlp.port: 4318\n");
    assertThat(d.settings())
        .containsEntry("sched.enabled", "true")
        .containsEntry("otlp.port", "4318");
    assertThat(read("empty.yaml", "# nothing yet\n").entries()).isEmpty();
  }

  @Test
  void aKeyTwiceNestedOrDottedIsAnErrorNamingBothLines() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("dup.yaml"), "sched:\n  min-event: 1ms\nsched.min-event: 2ms\n");
    assertThatThrownBy(() -> ConfigDocument.read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config file "
                + f
                + " line 3: sched.min-event is given twice (also on line 2): keep one");
    Path same = Files.writeString(dir.resolve("dup2.yaml"), "a.b: 1\na.b: 2\n");
    assertThatThrownBy(() -> ConfigDocument.read(same))
        .hasMessageContaining("line 2")
        .hasMessageContaining("a.b");
  }

  @Test
  void aKeyWithoutValueAListOfMapsOrNotAMapIsAnError() throws IOException {
    Path none = Files.writeString(dir.resolve("n.yaml"), "sched:\n  min-event:\n");
    assertThatThrownBy(() -> ConfigDocument.read(none))
        .hasMessage(
            "config file "
                + none
                + " line 2: sched.min-event has no value: give one, or remove the key for its"
                + " default");
    Path maps = Files.writeString(dir.resolve("m.yaml"), "marker.libraries:\n  - a: b\n");
    assertThatThrownBy(() -> ConfigDocument.read(maps)).hasMessageContaining("line 2");
    Path list = Files.writeString(dir.resolve("l.yaml"), "- sched\n- otlp\n");
    assertThatThrownBy(() -> ConfigDocument.read(list))
        .hasMessageContaining("line 1: the file must be a map of settings");
  }

  @Test
  void badYamlNamesTheLineButNeverItsText() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "sched.min-event: 1ms\notel.exporter.otlp.headers: api-key: s3cr3t-value\n");
    assertThatThrownBy(() -> ConfigDocument.read(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("config file " + f + " line 2: not valid YAML (")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void aPropertiesFileIsStillReadWithItsLines() throws IOException {
    ConfigDocument d =
        read(
            "aiprof.properties",
            "# as before\notel.service.name = node-7\n\nidentity.source=none\n");
    assertThat(d.export()).containsEntry("otel.service.name", "node-7");
    assertThat(d.settings()).containsEntry("identity.source", "none");
    assertThat(d.line("identity.source")).isEqualTo(4);
  }

  @Test
  void aMissingFileSaysSo() {
    Path f = dir.resolve("none.yaml");
    assertThatThrownBy(() -> ConfigDocument.read(f))
        .hasMessageStartingWith("config file " + f + ": cannot read it");
  }
}
