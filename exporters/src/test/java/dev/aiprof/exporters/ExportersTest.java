package dev.aiprof.exporters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.JsonFormat;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.exporters.file.RotatingFile;
import dev.aiprof.exporters.metrics.WorkloadAttributes;
import dev.aiprof.exporters.traces.TestSpans;
import dev.aiprof.testing.SystemProperties;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The autoconfigured SDK end to end, in process: defaults, precedence, the file output. */
class ExportersTest {
  static final MetricId TICKS = MetricId.counter("test.ticks", "Ticks so far", "{tick}");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @RegisterExtension final SystemProperties properties = new SystemProperties();

  private ExporterOptions options(Boolean prometheus) {
    return new ExporterOptions(
        null, prometheus, null, dir, Map.of(), "node-1", "k8s-node-1", "9.9");
  }

  static List<JsonNode> lines(Path dir, String prefix) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (Path f : RotatingFile.outputFiles(dir, prefix)) {
      for (String l : Files.readAllLines(f)) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  @Test
  void withoutAnEndpointSpansAndMetricsGoToOtlpJsonFiles() throws IOException {
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      e.metrics().addSource(s -> s.counter(TICKS, Attributes.empty(), 3));
      assertThat(e.describe())
          .containsExactlyInAnyOrder(
              "traces: OTLP JSON files in " + dir, "metrics: OTLP JSON files in " + dir);
      assertThat(e.offer(TestSpans.span(1))).isTrue();
      assertThat(e.flush(Duration.ofSeconds(10))).isTrue();
    } finally {
      e.close();
    }
    JsonNode trace = lines(dir, "traces").getFirst();
    JsonNode span = trace.at("/resourceSpans/0/scopeSpans/0/spans/0");
    assertThat(span.get("traceId").asText()).isEqualTo(String.format("%032x", 2));
    assertThat(span.get("name").asText()).isEqualTo("phase-1");
    List<JsonNode> metrics = lines(dir, "metrics");
    assertThat(metrics).hasSizeGreaterThanOrEqualTo(2); // the flush and the last one at close
    JsonNode rm = metrics.getLast().at("/resourceMetrics/0");
    assertThat(rm.at("/resource/attributes").toString())
        .contains("\"host.name\"", "node-1", "k8s.node.name", "k8s-node-1", "\"aiprof\"");
    JsonNode ours = scope(rm.get("scopeMetrics"), "dev.aiprof");
    assertThat(ours.at("/scope/version").asText()).isEqualTo("9.9");
    JsonNode ticks = find(ours.get("metrics"), "test.ticks");
    assertThat(ticks.get("unit").asText()).isEqualTo("{tick}");
    assertThat(ticks.get("description").asText()).isEqualTo("Ticks so far");
    assertThat(ticks.at("/sum/isMonotonic").asBoolean()).isTrue();
    assertThat(ticks.at("/sum/aggregationTemporality").asInt()).isEqualTo(2); // cumulative
    assertThat(ticks.at("/sum/dataPoints/0/asDouble").asDouble()).isEqualTo(3.0);
    assertThat(find(ours.get("metrics"), "aiprof.export.spans")).isNotNull();
    // Every line is an OTLP/JSON request by the protobuf mapping (strict: no unknown field).
    for (JsonNode line : metrics) {
      ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
      JsonFormat.parser().merge(line.toString(), b);
      assertThat(b.getResourceMetricsCount()).isPositive();
    }
    ExportTraceServiceRequest.Builder t = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(hexIdsToBase64(trace).toString(), t);
    assertThat(t.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray())
        .isEqualTo(HexFormat.of().parseHex(String.format("%032x", 2)));
  }

  /** OTLP/JSON writes trace and span ids as hex; protobuf's JSON mapping reads bytes as base64. */
  private static JsonNode hexIdsToBase64(JsonNode request) {
    JsonNode copy = request.deepCopy();
    for (JsonNode rs : copy.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode span : ss.path("spans")) {
          for (String id : List.of("traceId", "spanId", "parentSpanId")) {
            if (span.hasNonNull(id)) {
              ((ObjectNode) span)
                  .put(
                      id,
                      Base64.getEncoder()
                          .encodeToString(HexFormat.of().parseHex(span.get(id).asText())));
            }
          }
        }
      }
    }
    return copy;
  }

  static JsonNode scope(JsonNode scopes, String name) {
    for (JsonNode s : scopes) {
      if (s.at("/scope/name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no scope " + name + " in " + scopes);
  }

  /**
   * A metric of the agent's scope (version 9.9) in one request. The SDK's OTLP marshaler groups
   * scopes by identity, so the bridge's metrics and the meter's come as two scope entries of the
   * same name and version.
   */
  static JsonNode agentMetric(JsonNode request, String name) {
    for (JsonNode s : request.at("/resourceMetrics/0/scopeMetrics")) {
      if (s.at("/scope/name").asText().equals("dev.aiprof")) {
        assertThat(s.at("/scope/version").asText()).isEqualTo("9.9");
        for (JsonNode m : s.get("metrics")) {
          if (m.get("name").asText().equals(name)) {
            return m;
          }
        }
      }
    }
    throw new AssertionError("no metric " + name + " in " + request);
  }

  static JsonNode find(JsonNode metrics, String name) {
    for (JsonNode m : metrics) {
      if (m.get("name").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no metric " + name + " in " + metrics);
  }

  @Test
  void systemPropertiesAndEnvironmentWinOverOurDefaults() {
    properties.set("otel.traces.exporter", "none");
    properties.set("otel.service.name", "my-agent");
    properties.set("otel.resource.attributes", "deployment.environment.name=test");
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      assertThat(e.spans()).as("traces exporter none: no span queue").isEmpty();
      assertThat(e.offer(TestSpans.span(1))).isFalse();
      assertThat(e.resource().getAttribute(AttributeKey.stringKey("service.name")))
          .isEqualTo("my-agent");
      assertThat(e.resource().getAttribute(AttributeKey.stringKey("deployment.environment.name")))
          .isEqualTo("test");
      assertThat(e.resource().getAttribute(AttributeKey.stringKey("host.name")))
          .isEqualTo("node-1");
    } finally {
      e.close();
    }
  }

  @Test
  void spanQueueSizesAreConfigurable() {
    properties.set("aiprof.exporter.span.queue-size", "7");
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      assertThat(e.spans()).hasValueSatisfying(q -> assertThat(q.capacity()).isEqualTo(7));
    } finally {
      e.close();
    }
  }

  @Test
  void theAgentsOwnHistogramsGoToTheFilesAsBase2ExponentialHistograms() throws IOException {
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      var h =
          e.meter()
              .histogramBuilder("test.phase")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(List.of(0.01, 1.0))
              .build();
      h.record(0.003);
      h.record(0.7);
      assertThat(e.flush(Duration.ofSeconds(10))).isTrue();
    } finally {
      e.close();
    }
    JsonNode phase = agentMetric(lines(dir, "metrics").getLast(), "test.phase");
    assertThat(phase.has("exponentialHistogram")).as(phase.toString()).isTrue();
    JsonNode point = phase.at("/exponentialHistogram/dataPoints/0");
    assertThat(point.get("count").asLong()).isEqualTo(2);
    assertThat(point.get("scale").asInt()).isPositive();
  }

  @Test
  void exponentialHistogramsAreNoFinerThanTheAgentsMaxScale() throws IOException {
    assertThat(exponentialScale(0.300, 0.301))
        .as("durations 0.3% apart, which the SDK's own limit (20) would put at scale 15")
        .isEqualTo(ExporterProperties.DEFAULT_HISTOGRAM_MAX_SCALE);
    properties.set(ExporterProperties.HISTOGRAM_MAX_SCALE, "6");
    assertThat(exponentialScale(0.300, 0.301)).isEqualTo(6);
    properties.set(ExporterProperties.HISTOGRAM_MAX_SCALE, "21");
    assertThatThrownBy(() -> Exporters.start(options(false), WorkloadAttributes.NONE))
        .hasMessageContaining(ExporterProperties.HISTOGRAM_MAX_SCALE)
        .hasMessageContaining("-10 to 20");
  }

  /** The scale of the file exporter's exponential histogram of the durations. */
  private int exponentialScale(double... seconds) throws IOException {
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      var h = e.meter().histogramBuilder("test.phase").setUnit("s").build();
      for (double s : seconds) {
        h.record(s);
      }
      assertThat(e.flush(Duration.ofSeconds(10))).isTrue();
    } finally {
      e.close();
    }
    JsonNode point =
        agentMetric(lines(dir, "metrics").getLast(), "test.phase")
            .at("/exponentialHistogram/dataPoints/0");
    assertThat(point.get("count").asLong()).isEqualTo(seconds.length);
    return point.get("scale").asInt();
  }

  @Test
  void explicitHistogramsInTheFilesWhenTheOtlpSettingSaysSo() throws IOException {
    properties.set(ExporterProperties.HISTOGRAM_AGGREGATION, "explicit_bucket_histogram");
    Exporters e = Exporters.start(options(false), WorkloadAttributes.NONE);
    try {
      var h =
          e.meter()
              .histogramBuilder("test.phase")
              .setExplicitBucketBoundariesAdvice(List.of(0.01, 1.0))
              .build();
      h.record(0.003);
      assertThat(e.flush(Duration.ofSeconds(10))).isTrue();
    } finally {
      e.close();
    }
    JsonNode point =
        agentMetric(lines(dir, "metrics").getLast(), "test.phase").at("/histogram/dataPoints/0");
    assertThat(point.get("explicitBounds").toString()).isEqualTo("[0.01,1.0]");
  }

  @Test
  void aBadHistogramAggregationIsAConfigurationError() {
    properties.set(ExporterProperties.HISTOGRAM_AGGREGATION, "log2");
    assertThatThrownBy(() -> Exporters.start(options(false), WorkloadAttributes.NONE))
        .isInstanceOf(io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException.class)
        .hasMessageContaining("log2");
  }
}
