package dev.aiprof.report.model;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The generation latencies of one trace. A decode step is a span whose name contains {@code decode}
 * (any case) and none of whose children does: {@code decode} around {@code decode 1..n} counts the
 * n steps. The first token comes out of prefill (a span whose name contains {@code prefill}, ending
 * before the first step) where the trace has one, else out of the first decode step: TTFT is the
 * trace's start to it, TPOT the time from it to the end of the last step over the steps after it
 * (the reference server's own arithmetic for {@code gen_ai.server.time_to_first_token} and {@code
 * time_per_output_token}). Pure.
 */
record Generation(int steps, OptionalDouble ttftMs, OptionalDouble tpotMs) {
  static Generation of(List<PhaseBar> spans, List<List<PhaseBar>> children, long startNs) {
    List<PhaseBar> steps =
        spans.stream()
            .filter(
                b ->
                    isDecode(b) && children.get(b.index()).stream().noneMatch(Generation::isDecode))
            .sorted(Comparator.comparingLong(b -> b.span().endNs()))
            .toList();
    if (steps.isEmpty()) {
      return new Generation(0, OptionalDouble.empty(), OptionalDouble.empty());
    }
    long firstStep = steps.getFirst().span().endNs();
    long prefillEnd =
        spans.stream()
            .filter(b -> named(b, "prefill") && b.span().endNs() <= firstStep)
            .mapToLong(b -> b.span().endNs())
            .max()
            .orElse(Long.MIN_VALUE);
    boolean prefill = prefillEnd != Long.MIN_VALUE;
    long first = prefill ? prefillEnd : firstStep;
    int after = prefill ? steps.size() : steps.size() - 1;
    long last = steps.getLast().span().endNs();
    return new Generation(
        steps.size(),
        OptionalDouble.of((first - startNs) / 1e6),
        after > 0 ? OptionalDouble.of((last - first) / 1e6 / after) : OptionalDouble.empty());
  }

  static boolean isDecode(PhaseBar b) {
    return named(b, "decode");
  }

  private static boolean named(PhaseBar b, String part) {
    return b.span().name().toLowerCase(Locale.ROOT).contains(part);
  }
}
