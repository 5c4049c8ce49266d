package dev.aiprof.pipeline;

import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * An estimate of the heap a phase waiting in the correlation engine holds, for its byte bound: the
 * phase, and the span a workload sent with it (its attributes, events, links and resource). A fixed
 * overhead per entry, two bytes a character: an over-estimate for small values, close for the large
 * ones that matter. Stateless; pure.
 */
final class PhaseBytes {
  static final long PHASE = 240;
  static final long ENTRY = 64;

  private PhaseBytes() {}

  static long of(Phase p) {
    long n = PHASE + chars(p.name()) + of(p.attributes());
    ForeignSpan s = p.span();
    if (s == null) {
      return n;
    }
    n += 200 + chars(s.name()) + chars(s.statusMessage()) + chars(s.traceState());
    n += of(s.attributes()) + of(s.resource());
    for (ForeignSpan.Event e : s.events()) {
      n += ENTRY + chars(e.name()) + of(e.attributes());
    }
    for (ForeignSpan.Link l : s.links()) {
      n += ENTRY + of(l.attributes());
    }
    return n;
  }

  static long of(Attributes a) {
    if (a == null) {
      return 0;
    }
    long[] n = {0};
    a.forEach((k, v) -> n[0] += ENTRY + chars(k.getKey()) + value(v));
    return n[0];
  }

  private static long value(Object v) {
    if (v instanceof String s) {
      return chars(s);
    }
    if (v instanceof List<?> list) {
      long n = 16;
      for (Object o : list) {
        n += 16 + value(o);
      }
      return n;
    }
    return 16;
  }

  private static long chars(String s) {
    return s == null ? 0 : 40 + 2L * s.length();
  }
}
