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
 * does: {@code decode} around {@code decode 1..n} counts the n steps. The first token comes out of
 * prefill (a span whose name contains {@code prefill}) where the trace has one, else out of the
 * first decode step: TTFT is the trace's start to that, TPOT the time from it to the end of the
 * last step over the steps after it (the reference server's own {@code
 * gen_ai.server.time_per_output_token} the same way). Pure.
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
    // The first token comes out of prefill where the trace has one (llama-style engines), else out
    // of the first decode step.
    long prefillEnd =
        spans.stream()
            .filter(b -> b.span().name().toLowerCase(Locale.ROOT).contains("prefill"))
            .mapToLong(b -> b.span().endNs())
            .max()
            .orElse(Long.MIN_VALUE);
    OptionalDouble ttft = OptionalDouble.empty();
    OptionalDouble tpot = OptionalDouble.empty();
    if (!steps.isEmpty()) {
      long lastEnd = steps.getLast().span().endNs();
      boolean prefill =
          prefillEnd != Long.MIN_VALUE && prefillEnd <= steps.getFirst().span().endNs();
      long first = prefill ? prefillEnd : steps.getFirst().span().endNs();
      int after = prefill ? steps.size() : steps.size() - 1;
      ttft = OptionalDouble.of((first - start) / 1e6);
      tpot =
          after > 0 ? OptionalDouble.of((lastEnd - first) / 1e6 / after) : OptionalDouble.empty();
    }
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
        tokens(spans, SpanKeys.GENAI_OUTPUT_TOKENS),
        root.span().kind() == SpanRecord.KIND_CLIENT
            || root.span().kind() == SpanRecord.KIND_SERVER);
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
