package dev.aiprof.report.write;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.report.model.Breakdown;
import dev.aiprof.report.model.Histogram;
import dev.aiprof.report.model.Lane;
import dev.aiprof.report.model.PhaseBar;
import dev.aiprof.report.model.PhaseStats;
import dev.aiprof.report.model.ProcessGroup;
import dev.aiprof.report.model.Request;
import dev.aiprof.report.model.Stall;
import dev.aiprof.report.model.Verdict;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.report.otlp.MetricReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The page's data: one JSON document the script renders. Times are milliseconds from the window's
 * start, rounded to the microsecond. Deterministic (insertion-ordered objects, sorted attributes).
 */
public final class PageData {
  static final ObjectMapper JSON = new ObjectMapper();

  /** GPU samples this close outside the window are kept: the lane starts and ends filled. */
  static final long GPU_MARGIN_NS = 10_000_000_000L;

  private PageData() {}

  public static ObjectNode of(WindowModel m, String host) {
    return of(m, host, null);
  }

  /** The page's data with its flame graphs ({@link FlamePage}; null: none). */
  public static ObjectNode of(WindowModel m, String host, ObjectNode flames) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode w = root.putObject("window");
    w.put("start", Instant.ofEpochSecond(0, m.startNs()).toString());
    w.put("end", Instant.ofEpochSecond(0, m.endNs()).toString());
    w.put("durationMs", ms(m.endNs() - m.startNs()));
    strings(root.putArray("services"), m.services());
    ArrayNode cols = root.putArray("columns");
    for (int i = 0; i < Breakdown.COLUMNS.length; i++) {
      cols.addObject().put("id", Breakdown.COLUMNS[i]).put("label", Breakdown.LABELS[i]);
    }
    processes(root.putArray("processes"), m.processes());
    lanes(root.putArray("lanes"), m.lanes());
    phases(root.putArray("phases"), m);
    stalls(root.putArray("stalls"), m);
    requests(root.putArray("requests"), m.requests(), m.served());
    phaseStats(root.putArray("phaseStats"), m.phaseStats());
    ObjectNode lat = root.putObject("latency");
    lat.set("ttft", histogram(m.ttft()));
    lat.set("tpot", histogram(m.tpot()));
    lat.set("request", histogram(m.requestDuration()));
    root.set("total", breakdown(m.total()));
    root.put("verdict", Verdict.of(m));
    ObjectNode read = root.putObject("read");
    read.put("files", m.read().files())
        .put("spans", m.read().spans())
        .put("filtered", m.read().filtered())
        .put("overCap", m.read().overCap())
        .put("badLines", m.read().badLines())
        .put("maxSpans", m.read().maxSpans())
        .put("stalls", m.stalls().size())
        .put("maxStalls", WindowModel.MAX_STALLS);
    ArrayNode losses = root.putArray("losses");
    for (MetricReader.Loss l : m.metrics().losses()) {
      losses.addObject().put("series", l.series()).put("value", l.value());
    }
    ArrayNode gpus = root.putArray("gpus");
    for (MetricReader.GpuSeries g : m.metrics().gpus()) {
      ArrayNode pts = gpus.addObject().put("id", g.id()).putArray("points");
      for (long[] p : g.points()) {
        if (p[0] >= m.startNs() - GPU_MARGIN_NS && p[0] <= m.endNs() + GPU_MARGIN_NS) {
          pts.addArray().add(ms(p[0] - m.startNs())).add(p[1] / 1e6);
        }
      }
    }
    read.put("metricFiles", m.metrics().files())
        .put("metricsOverBounds", m.metrics().overBounds())
        .put("metricBadLines", m.metrics().badLines());
    root.put("host", host);
    root.set("flames", flames);
    return root;
  }

  private static void processes(ArrayNode out, List<ProcessGroup> ps) {
    for (ProcessGroup p : ps) {
      ObjectNode o = out.addObject().put("service", p.service()).put("pid", p.pid());
      ArrayNode l = o.putArray("lanes");
      p.lanes().forEach(l::add);
      o.put("gpu", p.gpu());
    }
  }

  private static void lanes(ArrayNode out, List<Lane> lanes) {
    for (Lane l : lanes) {
      out.addObject()
          .put("process", l.process())
          .put("tid", l.tid())
          .put("name", l.name())
          .put("depth", l.depth());
    }
  }

  private static void phases(ArrayNode out, WindowModel m) {
    for (PhaseBar b : m.phases()) {
      ObjectNode o =
          out.addObject()
              .put("name", b.span().name())
              .put("lane", b.lane())
              .put("depth", b.depth())
              .put("s", ms(b.span().startNs() - m.startNs()))
              .put("e", ms(b.span().endNs() - m.startNs()))
              .put("request", b.request())
              .put("parent", b.parent())
              .put("kind", b.span().kind())
              .put("service", m.services().indexOf(b.span().service()));
      if (b.span().error()) {
        o.put("error", true);
      }
      o.set(
          "b",
          b.breakdown().measured() || b.breakdown().gpu() > 0 ? breakdown(b.breakdown()) : null);
      attributes(o.putObject("attrs"), b.span().attributes());
    }
  }

  private static void attributes(ObjectNode out, Map<String, Object> attrs) {
    attrs.forEach((k, v) -> out.set(k, JSON.valueToTree(v)));
  }

  private static void stalls(ArrayNode out, WindowModel m) {
    for (Stall s : m.stalls()) {
      out.addArray()
          .add(s.lane())
          .add(ms(s.startNs() - m.startNs()))
          .add(ms(s.endNs() - m.startNs()))
          .add(s.kind())
          .add(s.phase());
    }
  }

  private static void requests(ArrayNode out, List<Request> rs, List<Request> served) {
    for (Request r : rs) {
      ObjectNode o =
          out.addObject()
              .put("trace", r.traceId())
              .put("root", r.root())
              .put("name", r.name())
              .put("durationMs", round(r.durationMs()))
              .put("steps", r.decodeSteps())
              .put("served", r.served() || served.size() == rs.size());
      r.ttftMs().ifPresent(v -> o.put("ttft", round(v)));
      r.tpotMs().ifPresent(v -> o.put("tpot", round(v)));
      if (!r.model().isEmpty()) {
        o.put("model", r.model());
      }
      if (r.outputTokens() > 0 || r.inputTokens() > 0) {
        o.put("inTokens", r.inputTokens()).put("outTokens", r.outputTokens());
      }
      ArrayNode rows = o.putArray("rows");
      for (Request.Row row : r.rows()) {
        rows.addArray().add(row.phase()).add(row.depth());
      }
    }
  }

  private static void phaseStats(ArrayNode out, List<PhaseStats> ps) {
    for (PhaseStats p : ps) {
      ObjectNode o =
          out.addObject()
              .put("name", p.name())
              .put("count", p.count())
              .put("wallMs", round(p.wallMs()));
      o.set("wall", histogram(p.wall()));
      o.set("b", breakdown(p.breakdown()));
      o.put("measured", p.breakdown().measured());
    }
  }

  static ObjectNode histogram(Histogram h) {
    ObjectNode o = JSON.createObjectNode();
    o.put("count", h.count())
        .put("p50", round(h.p50()))
        .put("p90", round(h.p90()))
        .put("p99", round(h.p99()))
        .put("max", round(h.max()));
    ArrayNode e = o.putArray("edges");
    for (double d : h.edges()) {
      e.add(d);
    }
    ArrayNode c = o.putArray("counts");
    for (long n : h.counts()) {
      c.add(n);
    }
    return o;
  }

  static ArrayNode breakdown(Breakdown b) {
    ArrayNode a = JSON.createArrayNode();
    for (double v : b.values()) {
      a.add(round(v));
    }
    return a;
  }

  static double ms(long ns) {
    return ns / 1000 / 1000.0;
  }

  static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static void strings(ArrayNode out, List<String> s) {
    s.forEach(out::add);
  }
}
