package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Groups phases into requests, one per trace, with waterfall rows and generation latencies. A
 * decode step is a span whose name contains {@code decode} (any case) and none of whose children
 * does: {@code decode} around {@code decode 1..n} counts the n steps. Pure.
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
    List<PhaseBar> steps =
        spans.stream()
            .filter(
                b -> isDecode(b) && children.get(b.index()).stream().noneMatch(Requests::isDecode))
            .sorted(Comparator.comparingLong(b -> b.span().endNs()))
            .toList();
    OptionalDouble ttft =
        steps.isEmpty()
            ? OptionalDouble.empty()
            : OptionalDouble.of((steps.getFirst().span().endNs() - start) / 1e6);
    OptionalDouble tpot =
        steps.size() < 2
            ? OptionalDouble.empty()
            : OptionalDouble.of(
                (steps.getLast().span().endNs() - steps.getFirst().span().endNs())
                    / 1e6
                    / (steps.size() - 1));
    return new Request(
        index,
        traceId,
        root.index(),
        root.span().name(),
        start,
        end,
        List.copyOf(rows),
        steps.size(),
        ttft,
        tpot,
        text(spans, SpanKeys.GENAI_MODEL),
        tokens(spans, SpanKeys.GENAI_INPUT_TOKENS),
        tokens(spans, SpanKeys.GENAI_OUTPUT_TOKENS));
  }

  private static void walk(
      PhaseBar b, int depth, List<List<PhaseBar>> children, List<Request.Row> rows) {
    rows.add(new Request.Row(b.index(), depth));
    List<PhaseBar> kids = new ArrayList<>(children.get(b.index()));
    kids.sort(
        Comparator.comparingLong((PhaseBar k) -> k.span().startNs())
            .thenComparingInt(PhaseBar::index));
    for (PhaseBar k : kids) {
      walk(k, depth + 1, children, rows);
    }
  }

  static boolean isDecode(PhaseBar b) {
    return b.span().name().toLowerCase(Locale.ROOT).contains("decode");
  }

  private static String text(List<PhaseBar> spans, String key) {
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
