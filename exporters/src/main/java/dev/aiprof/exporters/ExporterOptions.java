package dev.aiprof.exporters;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the agent's own flags (and, later, its config file) say about export. Null means "not
 * given": the OpenTelemetry variables and the built-in defaults decide.
 *
 * @param otlpEndpoint {@code --otlp-endpoint}: send traces and metrics over OTLP there
 * @param prometheus {@code --prometheus} (true) / {@code --no-prometheus} (false)
 * @param prometheusAddress {@code --prometheus-address host:port}
 * @param outputDir {@code --output-dir}: the embedded file exporter's directory
 * @param settings further configuration properties (config file): above the built-in defaults,
 *     below environment variables and system properties
 * @param hostName the resource's {@code host.name}
 * @param nodeName the resource's {@code k8s.node.name}, or null when not on Kubernetes
 * @param version the agent's version ({@code service.version} and the instrumentation scope)
 */
public record ExporterOptions(
    String otlpEndpoint,
    Boolean prometheus,
    String prometheusAddress,
    Path outputDir,
    Map<String, String> settings,
    String hostName,
    String nodeName,
    String version) {

  public ExporterOptions {
    settings = Map.copyOf(settings);
  }

  /** Nothing given: every choice is the environment's or the default. */
  public static ExporterOptions defaults(String hostName) {
    return new ExporterOptions(null, null, null, null, Map.of(), hostName, null, "dev");
  }
}
