package dev.aiprof.report.write;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiprof.report.model.Breakdown;
import dev.aiprof.report.model.Lane;
import dev.aiprof.report.model.PhaseBar;
import dev.aiprof.report.model.ProcessGroup;
import dev.aiprof.report.model.Stall;
import dev.aiprof.report.model.WindowModel;
import dev.aiprof.report.otlp.MetricReader;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * The window as a Chrome trace-event JSON file ({@code traceEvents}), which Perfetto's UI and
 * {@code chrome://tracing} open: one complete ({@code "X"}) event per phase on its process and
 * thread, with the breakdown and the span's attributes as args; the stalls as complete events on a
 * companion thread of each thread ({@code "<thread> · waits"}, so they never break the phases'
 * nesting); flow arrows from a parent span to a child on another thread; process and thread names
 * and sort order as metadata events. Timestamps are microseconds from the window's start (its
 * wall-clock start is in {@code otherData}).
 *
 * <p>Processes without a pid get ids from {@value #NO_PID}; threads without a tid, and the
 * companion threads, get ids from {@value #SYNTHETIC_TID}, above any kernel tid (pid_max is at most
 * 2²²).
 */
public final class PerfettoTrace {
  static final long NO_PID = 1L << 30;
  static final long SYNTHETIC_TID = 1L << 31;

  /** The process id the GPU counter tracks are shown under. */
  static final long GPU_PID = NO_PID - 1;

  private PerfettoTrace() {}

  public static void write(WindowModel m, OutputStream out) throws IOException {
    PageData.JSON.writeValue(out, of(m));
  }

  static ObjectNode of(WindowModel m) {
    ObjectNode root = PageData.JSON.createObjectNode();
    ArrayNode ev = root.putArray("traceEvents");
    for (ProcessGroup p : m.processes()) {
      long pid = pid(p);
      meta(ev, "process_name", pid, 0)
          .putObject("args")
          .put("name", p.service() + " (pid " + p.pid() + ")");
      meta(ev, "process_sort_index", pid, 0).putObject("args").put("sort_index", p.index());
      for (int l : p.lanes()) {
        Lane lane = m.lanes().get(l);
        meta(ev, "thread_name", pid, tid(lane)).putObject("args").put("name", lane.name());
        meta(ev, "thread_sort_index", pid, tid(lane)).putObject("args").put("sort_index", 2 * l);
        meta(ev, "thread_name", pid, waitsTid(lane))
            .putObject("args")
            .put("name", lane.name() + " · waits");
        meta(ev, "thread_sort_index", pid, waitsTid(lane))
            .putObject("args")
            .put("sort_index", 2 * l + 1);
      }
    }
    for (PhaseBar b : m.phases()) {
      Lane lane = m.lanes().get(b.lane());
      ObjectNode e =
          complete(ev, b.span().name(), "phase", m, b.span().startNs(), b.span().endNs());
      e.put("pid", pid(m.processes().get(lane.process()))).put("tid", tid(lane));
      ObjectNode args = e.putObject("args");
      args.put("trace_id", b.span().traceId()).put("span_id", b.span().spanId());
      if (b.breakdown().measured()) {
        double[] v = b.breakdown().values();
        for (int i = 0; i < v.length; i++) {
          args.put(Breakdown.COLUMNS[i] + "_ms", PageData.round(v[i]));
        }
      }
      b.span().attributes().forEach((k, v) -> args.set(k, PageData.JSON.valueToTree(v)));
    }
    flows(ev, m);
    for (Stall s : m.stalls()) {
      Lane lane = m.lanes().get(s.lane());
      ObjectNode e = complete(ev, label(s.kind()), "wait", m, s.startNs(), s.endNs());
      e.put("pid", pid(m.processes().get(lane.process()))).put("tid", waitsTid(lane));
      e.putObject("args")
          .put("kind", s.kind())
          .put("phase", m.phases().get(s.phase()).span().name());
    }
    if (!m.metrics().gpus().isEmpty()) {
      meta(ev, "process_name", GPU_PID, 0)
          .putObject("args")
          .put("name", "GPUs (hw.gpu.utilization)");
    }
    for (MetricReader.GpuSeries g : m.metrics().gpus()) {
      for (long[] p : g.points()) {
        ev.addObject()
            .put("name", "GPU " + g.id() + " utilization")
            .put("ph", "C")
            .put("pid", GPU_PID)
            .put("ts", (p[0] - m.startNs()) / 1000.0)
            .putObject("args")
            .put("utilization", p[1] / 1e6);
      }
    }
    root.put("displayTimeUnit", "ms");
    root.putObject("otherData")
        .put("source", "aiprof report")
        .put("window_start", Instant.ofEpochSecond(0, m.startNs()).toString())
        .put("window_end", Instant.ofEpochSecond(0, m.endNs()).toString());
    return root;
  }

  /**
   * A flow arrow from each parent span to its child where the child runs on another thread (the
   * client's request to the server's handling, a handler to its worker): it starts inside the
   * parent's slice at the child's start and binds to the child's slice.
   */
  private static void flows(ArrayNode ev, WindowModel m) {
    int id = 0;
    for (PhaseBar b : m.phases()) {
      if (b.parent() < 0 || m.phases().get(b.parent()).lane() == b.lane()) {
        continue;
      }
      PhaseBar parent = m.phases().get(b.parent());
      double ts = (Math.max(b.span().startNs(), parent.span().startNs()) - m.startNs()) / 1000.0;
      id++;
      flow(ev, m, "s", id, parent, ts);
      flow(ev, m, "f", id, b, (b.span().startNs() - m.startNs()) / 1000.0).put("bp", "e");
    }
  }

  private static ObjectNode flow(
      ArrayNode ev, WindowModel m, String ph, int id, PhaseBar on, double ts) {
    Lane lane = m.lanes().get(on.lane());
    return ev.addObject()
        .put("name", "request")
        .put("cat", "flow")
        .put("ph", ph)
        .put("id", id)
        .put("ts", ts)
        .put("pid", pid(m.processes().get(lane.process())))
        .put("tid", tid(lane));
  }

  static String label(String kind) {
    return switch (kind) {
      case "runqueue", "preempted" -> "runqueue wait";
      case "blocked" -> "I/O wait (D)";
      case "sleep" -> "sleep";
      default -> kind + " off-CPU";
    };
  }

  private static ObjectNode complete(
      ArrayNode ev, String name, String cat, WindowModel m, long startNs, long endNs) {
    return ev.addObject()
        .put("name", name)
        .put("cat", cat)
        .put("ph", "X")
        .put("ts", (startNs - m.startNs()) / 1000.0)
        .put("dur", Math.max(0, endNs - startNs) / 1000.0);
  }

  private static ObjectNode meta(ArrayNode ev, String name, long pid, long tid) {
    return ev.addObject().put("name", name).put("ph", "M").put("pid", pid).put("tid", tid);
  }

  static long pid(ProcessGroup p) {
    return p.pid() > 0 ? p.pid() : NO_PID + p.index();
  }

  static long tid(Lane l) {
    return l.tid() > 0 ? l.tid() : SYNTHETIC_TID + 2L * l.index();
  }

  static long waitsTid(Lane l) {
    return SYNTHETIC_TID + 2L * l.index() + 1;
  }
}
