package dev.aiprof.report.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the few metrics the report shows from {@code metrics-*.jsonl}: the agent's own loss
 * counters (what it did not see: dropped events and spans, late signals, refused threads), as their
 * growth over the window, and GPU utilisation over time ({@value #GPU_UTILIZATION}, per {@code
 * hw.id}). Streams to each {@code resourceMetrics} element; other metrics are skipped. Bounded: at
 * most {@value #MAX_SERIES} series of each kind and {@value #MAX_POINTS} points a GPU series; what
 * is past a bound is counted.
 *
 * <p>Not thread-safe; one reader reads one window.
 */
public final class MetricReader {
  public static final String GPU_UTILIZATION = "hw.gpu.utilization";
  public static final int MAX_SERIES = 64;
  public static final int MAX_POINTS = 10_000;

  /** Counters of what the agent could not record (README: "What the agent could not record"). */
  public static final Set<String> LOSSES =
      Set.of(
          "aiprof.probe.dropped",
          "aiprof.probe.faults",
          "aiprof.export.spans",
          "aiprof.export.file.errors",
          "aiprof.correlation.late",
          "aiprof.otlp.spans.rejected",
          "aiprof.otlp.spans.without_pid",
          "aiprof.otlp.spans.without_thread",
          "aiprof.marker.lost",
          "aiprof.sched.timeline.refused");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  /**
   * How much a counter grew in the window; {@code series} is the metric name with its attributes.
   */
  public record Loss(String series, double value) {}

  /** One run of a cumulative counter (one start time): its first and last value in the window. */
  private record Run(double first, double last, long lastTimeNs) {}

  /** One GPU's utilisation (0..1) at each export. */
  public record GpuSeries(String id, List<long[]> points) {}

  private final long notBeforeNs;
  private final Map<String, Map<Long, Run>> losses = new TreeMap<>();
  private final Map<String, List<long[]>> gpus = new TreeMap<>();
  private long overBounds;
  private long badLines;

  public MetricReader(long notBeforeNs) {
    this.notBeforeNs = notBeforeNs;
  }

  /**
   * The loss counters that grew in the window, by series: per run of the counter (an agent restart
   * starts a new one), its last value less its first, or all of it when the run started inside the
   * window.
   */
  public List<Loss> losses() {
    List<Loss> out = new ArrayList<>();
    losses.forEach(
        (series, runs) -> {
          double grew = 0;
          for (var r : runs.entrySet()) {
            Run run = r.getValue();
            grew += r.getKey() >= notBeforeNs ? run.last() : run.last() - run.first();
          }
          if (grew != 0) {
            out.add(new Loss(series, grew));
          }
        });
    return out;
  }

  /** GPU series; each point is {time ns, utilisation × 10⁶}. */
  public List<GpuSeries> gpus() {
    List<GpuSeries> out = new ArrayList<>();
    gpus.forEach((id, p) -> out.add(new GpuSeries(id, List.copyOf(p))));
    return out;
  }

  /** Series or points past the bounds. */
  public long overBounds() {
    return overBounds;
  }

  public long badLines() {
    return badLines;
  }

  public void read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          readLine(line);
        }
      }
    }
  }

  public void readLine(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      p.setCodec(JSON);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        if (p.nextToken() == JsonToken.START_ARRAY && field.equals("resourceMetrics")) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            resourceMetrics(p.readValueAsTree());
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      badLines++;
    }
  }

  private void resourceMetrics(JsonNode rm) {
    for (JsonNode sm : rm.path("scopeMetrics")) {
      for (JsonNode m : sm.path("metrics")) {
        String name = m.path("name").asText("");
        if (LOSSES.contains(name)) {
          points(m, (attrs, start, t, v) -> loss(name, attrs, start, t, v));
        } else if (name.equals(GPU_UTILIZATION)) {
          points(m, (attrs, start, t, v) -> gpu(attrs, t, v));
        }
      }
    }
  }

  private interface PointSink {
    void accept(Map<String, Object> attrs, long startNs, long timeNs, double value);
  }

  private void points(JsonNode metric, PointSink sink) {
    JsonNode data = metric.has("sum") ? metric.get("sum") : metric.path("gauge");
    for (JsonNode dp : data.path("dataPoints")) {
      long t = AnyValues.nanos(dp.path("timeUnixNano"));
      if (t < notBeforeNs) {
        continue;
      }
      double v =
          dp.has("asDouble")
              ? dp.get("asDouble").asDouble()
              : AnyValues.nanos(dp.path("asInt")); // an int64 written as a string
      sink.accept(
          AnyValues.attributes(dp.path("attributes")),
          AnyValues.nanos(dp.path("startTimeUnixNano")),
          t,
          v);
    }
  }

  private void loss(String name, Map<String, Object> attrs, long start, long t, double v) {
    if (name.equals("aiprof.export.spans") && "exported".equals(attrs.get("aiprof.outcome"))) {
      return;
    }
    String series = attrs.isEmpty() ? name : name + attrs.toString().replace('=', ':');
    if (!losses.containsKey(series) && losses.size() >= MAX_SERIES) {
      overBounds++;
      return;
    }
    Map<Long, Run> runs = losses.computeIfAbsent(series, k -> new TreeMap<>());
    if (!runs.containsKey(start) && runs.size() >= MAX_SERIES) {
      overBounds++;
      return;
    }
    runs.merge(
        start,
        new Run(v, v, t),
        (a, b) ->
            new Run(
                a.first(),
                b.lastTimeNs() >= a.lastTimeNs() ? b.last() : a.last(),
                Math.max(a.lastTimeNs(), b.lastTimeNs())));
  }

  private void gpu(Map<String, Object> attrs, long t, double v) {
    String id = String.valueOf(attrs.getOrDefault("hw.id", "gpu"));
    List<long[]> p = gpus.get(id);
    if (p == null) {
      if (gpus.size() >= MAX_SERIES) {
        overBounds++;
        return;
      }
      p = new ArrayList<>();
      gpus.put(id, p);
    }
    if (p.size() >= MAX_POINTS) {
      overBounds++;
      return;
    }
    p.add(new long[] {t, Math.round(v * 1e6)});
  }
}
