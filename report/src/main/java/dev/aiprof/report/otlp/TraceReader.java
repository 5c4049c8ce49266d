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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads spans from {@code traces-*.jsonl} files: a streaming parse to each {@code resourceSpans}
 * element (one resource's batch, at most one export batch), which is read as a tree and turned into
 * {@link SpanRecord}s. Spans are filtered by {@code service.name} and by their end time, and at
 * most {@code maxSpans} are kept; the rest are counted. A line that is not valid JSON is skipped
 * and counted, and reading goes on with the next line.
 *
 * <p>Not thread-safe; one reader reads one window.
 */
public final class TraceReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private final Optional<String> service;
  private final Set<Long> servicePids;
  private final long notBeforeNs;
  private final int maxSpans;
  private final List<SpanRecord> spans = new ArrayList<>();
  private long overCap;
  private long filtered;
  private long badLines;

  /**
   * @param notBeforeNs spans that ended before this epoch time are left out ({@link Long#MIN_VALUE}
   *     for all)
   */
  public TraceReader(Optional<String> service, long notBeforeNs, int maxSpans) {
    this(service, Set.of(), notBeforeNs, maxSpans);
  }

  /**
   * @param servicePids the pids of {@code service}'s resources (from {@link #scan}): other
   *     services' spans of other pids are left out as they are read, before the cap
   */
  public TraceReader(
      Optional<String> service, Set<Long> servicePids, long notBeforeNs, int maxSpans) {
    this.service = service;
    this.servicePids = servicePids;
    this.notBeforeNs = notBeforeNs;
    this.maxSpans = maxSpans;
  }

  /**
   * The spans read so far, sorted by start time, then trace and span id. With a service filter: the
   * spans of that {@code service.name}, and every other span of the same processes (the spans the
   * agent made for their marker phases carry the executable's name).
   */
  public List<SpanRecord> spans() {
    List<SpanRecord> out = kept();
    out.sort(
        Comparator.comparingLong(SpanRecord::startNs)
            .thenComparing(SpanRecord::traceId)
            .thenComparing(SpanRecord::spanId));
    return out;
  }

  /** The spans the service filter keeps, in read order. */
  private List<SpanRecord> kept() {
    List<SpanRecord> out = new ArrayList<>(spans);
    if (service.isPresent()) {
      Set<Long> pids = new HashSet<>();
      for (SpanRecord s : spans) {
        if (s.service().equals(service.get()) && s.pid() > 0) {
          pids.add(s.pid());
        }
      }
      out.removeIf(s -> !s.service().equals(service.get()) && !pids.contains(s.pid()));
    }
    return out;
  }

  /** Spans that matched but were not kept: past the cap. */
  public long overCap() {
    return overCap;
  }

  /** Spans left out by the time or service filter. */
  public long filtered() {
    return filtered + spans.size() - kept().size();
  }

  /** Lines (or their remainders) that were not valid OTLP JSON. */
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

  /** One export request (one line of a file). */
  public void readLine(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      p.setCodec(JSON);
      readRequest(p);
    } catch (IOException | RuntimeException e) {
      badLines++;
    }
  }

  private void readRequest(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("not an object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("resourceSpans") && t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          resourceSpans(p.readValueAsTree());
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /** Known before the cap to belong to neither the service nor its processes. */
  private boolean otherService(String svc, long pid) {
    return service.isPresent()
        && !servicePids.isEmpty()
        && !service.get().equals(svc)
        && !servicePids.contains(pid);
  }

  private void resourceSpans(JsonNode rs) {
    var resource = AnyValues.attributes(rs.path("resource").path("attributes"));
    String svc = resource.get("service.name") instanceof String s ? s : "";
    long pid = resource.get("process.pid") instanceof Number n ? n.longValue() : 0;
    for (JsonNode ss : rs.path("scopeSpans")) {
      for (JsonNode span : ss.path("spans")) {
        SpanRecord r = Spans.decode(span, svc, pid);
        if (r.endNs() < notBeforeNs || otherService(svc, r.pid())) {
          filtered++;
        } else if (spans.size() >= maxSpans) {
          overCap++;
        } else {
          spans.add(r);
        }
      }
    }
  }

  /**
   * What a first, cheap pass over the files finds (a token scan, building only resource objects):
   * the latest end of any span, and the pids of the resources named {@code service}.
   */
  public record Scan(long latestEndNs, Set<Long> servicePids) {}

  public static Scan scan(List<Path> files, Optional<String> service) throws IOException {
    long max = Long.MIN_VALUE;
    Set<Long> pids = new HashSet<>();
    for (Path f : files) {
      try (JsonParser p = FACTORY.createParser(f.toFile())) {
        p.setCodec(JSON);
        max = Math.max(max, scan(p, service, pids));
      } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
        // rotated away since it was listed
      }
    }
    return new Scan(max, Set.copyOf(pids));
  }

  private static long scan(JsonParser p, Optional<String> service, Set<Long> pids) {
    long max = Long.MIN_VALUE;
    try {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          continue;
        }
        String name = p.currentName();
        if (name.equals("endTimeUnixNano")) {
          p.nextToken();
          max = Math.max(max, AnyValues.nanos(JSON.readTree(p)));
        } else if (name.equals("resource") && p.nextToken() == JsonToken.START_OBJECT) {
          var a = AnyValues.attributes(((JsonNode) p.readValueAsTree()).path("attributes"));
          if (service.isPresent()
              && service.get().equals(a.get("service.name"))
              && a.get("process.pid") instanceof Number n) {
            pids.add(n.longValue());
          }
        }
      }
    } catch (IOException e) {
      // a bad line ends the scan of this file; the full read counts it
    }
    return max;
  }
}
