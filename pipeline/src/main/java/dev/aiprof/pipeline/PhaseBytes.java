package dev.aiprof.pipeline;

import static dev.aiprof.api.HeapBytes.ENTRY;
import static dev.aiprof.api.HeapBytes.chars;

import dev.aiprof.api.HeapBytes;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;

/**
 * An estimate of the heap a phase waiting in the correlation engine holds, for its byte bound: the
 * phase, and the span a workload sent with it (its attributes, events, links and resource). A fixed
 * overhead per entry, two bytes a character: an over-estimate for small values, close for the large
 * ones that matter. Stateless; pure.
 */
final class PhaseBytes {
  static final long PHASE = 240;

  private PhaseBytes() {}

  static long of(Phase p) {
    long n = PHASE + chars(p.name()) + HeapBytes.of(p.attributes());
    ForeignSpan s = p.span();
    if (s == null) {
      return n;
    }
    n += 200 + chars(s.name()) + chars(s.statusMessage()) + chars(s.traceState());
    n += HeapBytes.of(s.attributes()) + HeapBytes.of(s.resource());
    for (ForeignSpan.Event e : s.events()) {
      n += ENTRY + chars(e.name()) + HeapBytes.of(e.attributes());
    }
    for (ForeignSpan.Link l : s.links()) {
      n += ENTRY + HeapBytes.of(l.attributes());
    }
    return n;
  }
}
