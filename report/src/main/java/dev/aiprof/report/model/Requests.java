package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Groups phases into requests, one per trace, with waterfall rows, tokens and the model, and the
 * generation latencies of {@link Generation}. Pure.
 */
final class Requests {
  private Requests() {}

  static List<Request> of(List<PhaseBar> bars, Map<String, Integer> traceIndex) {
    List<List<PhaseBar>> byTrace = new ArrayList<>();
    traceIndex.forEach((id, i) -> byTrace.add(new ArrayList<>()));
    for (PhaseBar b : bars) {
      byTrace.get(b.request()).add(b);
    }
    List<List<PhaseBar>> children = new ArrayList<>(bars.size());
    bars.forEach(b -> children.add(new ArrayList<>()));
    for (PhaseBar b : bars) {
      if (b.parent() >= 0) {
        children.get(b.parent()).add(b);
      }
    }
    List<Request> out = new ArrayList<>();
    int i = 0;
    for (var e : traceIndex.entrySet()) {
      out.add(request(i, e.getKey(), byTrace.get(i), children));
      i++;
    }
    return List.copyOf(out);
  }

  private static Request request(
      int index, String traceId, List<PhaseBar> spans, List<List<PhaseBar>> children) {
    List<PhaseBar> roots =
        spans.stream()
            .filter(b -> b.parent() < 0)
            .sorted(
                Comparator.comparingLong((PhaseBar b) -> b.span().startNs())
                    .thenComparingInt(b -> b.span().kind() == SpanRecord.KIND_CLIENT ? 0 : 1)
                    .thenComparingInt(PhaseBar::index))
            .toList();
    List<Request.Row> rows = new ArrayList<>();
    for (PhaseBar r : roots) {
      walk(r, 0, children, rows);
    }
    PhaseBar root = roots.getFirst();
    long start = spans.stream().mapToLong(b -> b.span().startNs()).min().orElse(0);
    long end = spans.stream().mapToLong(b -> b.span().endNs()).max().orElse(0);
    Generation g = Generation.of(spans, children, start);
    return new Request(
        index,
        traceId,
        root.index(),
        root.span().name(),
        start,
        end,
        List.copyOf(rows),
        g.steps(),
        g.ttftMs(),
        g.tpotMs(),
        text(spans, SpanKeys.GENAI_MODEL),
        tokens(spans, SpanKeys.GENAI_INPUT_TOKENS),
        tokens(spans, SpanKeys.GENAI_OUTPUT_TOKENS),
        root.span().kind() == SpanRecord.KIND_CLIENT
            || root.span().kind() == SpanRecord.KIND_SERVER);
  }

  /** Depth-first from {@code root}, children by start time (iterative: traces can be deep). */
  private static void walk(
      PhaseBar root, int depth0, List<List<PhaseBar>> children, List<Request.Row> rows) {
    Deque<Request.Row> todo = new ArrayDeque<>();
    todo.push(new Request.Row(root.index(), depth0));
    while (!todo.isEmpty()) {
      Request.Row r = todo.pop();
      rows.add(r);
      List<PhaseBar> kids = new ArrayList<>(children.get(r.phase()));
      kids.sort(
          Comparator.comparingLong((PhaseBar k) -> k.span().startNs())
              .thenComparingInt(PhaseBar::index)
              .reversed());
      for (PhaseBar k : kids) {
        todo.push(new Request.Row(k.index(), r.depth() + 1));
      }
    }
  }

  /** The first value of {@code key}, from a span that reports output tokens if one has it. */
  private static String text(List<PhaseBar> spans, String key) {
    for (PhaseBar b : spans) {
      if (b.span().attributes().containsKey(SpanKeys.GENAI_OUTPUT_TOKENS)
          && b.span().attributes().get(key) instanceof String s) {
        return s;
      }
    }
    for (PhaseBar b : spans) {
      if (b.span().attributes().get(key) instanceof String s) {
        return s;
      }
    }
    return "";
  }

  private static long tokens(List<PhaseBar> spans, String key) {
    long max = 0;
    for (PhaseBar b : spans) {
      if (b.span().attributes().get(key) instanceof Number n) {
        max = Math.max(max, n.longValue());
      }
    }
    return max;
  }
}
