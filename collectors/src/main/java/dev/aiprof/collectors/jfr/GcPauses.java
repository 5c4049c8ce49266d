package dev.aiprof.collectors.jfr;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns {@code jdk.GCPhasePause} spans into process-wide phases named after their collection
 * ({@code jdk.GarbageCollection}: "GC pause: G1New", "GC pause: G1Old Pause Remark"). A young
 * collection's event arrives with its pause; a concurrent cycle's only when the cycle ends, so a
 * pause waits for its collection up to {@code patienceNs} of event time and is then reported
 * without the collector's name. Both maps are bounded.
 *
 * <p>Not thread-safe: one JVM's stream thread.
 */
final class GcPauses {
  static final int CAPACITY = 64;
  private static final String GENERIC = "GC Pause";

  private record Pause(String name, long startNs, long endNs) {}

  private record Collection(String name, String cause) {}

  private final int pid;
  private final long patienceNs;
  private final Consumer<Phase> out;
  private final Map<Long, List<Pause>> waiting = new LinkedHashMap<>();
  private final Map<Long, Collection> known =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Collection> eldest) {
          return size() > CAPACITY;
        }
      };

  GcPauses(int pid, long patienceNs, Consumer<Phase> out) {
    this.pid = pid;
    this.patienceNs = patienceNs;
    this.out = out;
  }

  void pause(long gcId, String pauseName, long startNs, long endNs) {
    Pause p = new Pause(pauseName == null ? GENERIC : pauseName, startNs, endNs);
    Collection c = known.get(gcId);
    if (c != null) {
      emit(gcId, p, c);
      return;
    }
    waiting.computeIfAbsent(gcId, k -> new ArrayList<>()).add(p);
    if (waiting.size() > CAPACITY) {
      Map.Entry<Long, List<Pause>> eldest = waiting.entrySet().iterator().next();
      waiting.remove(eldest.getKey());
      eldest.getValue().forEach(q -> emit(eldest.getKey(), q, null));
    }
  }

  void collection(long gcId, String name, String cause) {
    Collection c = new Collection(name, cause);
    known.put(gcId, c);
    List<Pause> ps = waiting.remove(gcId);
    if (ps != null) {
      ps.forEach(p -> emit(gcId, p, c));
    }
  }

  /** Reports, without a collector name, pauses that waited longer than the patience. */
  void expire(long nowNs) {
    for (Iterator<Map.Entry<Long, List<Pause>>> it = waiting.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Long, List<Pause>> e = it.next();
      if (nowNs - e.getValue().getFirst().endNs() > patienceNs) {
        it.remove();
        e.getValue().forEach(p -> emit(e.getKey(), p, null));
      }
    }
  }

  int waiting() {
    return waiting.size();
  }

  private void emit(long gcId, Pause p, Collection c) {
    AttributesBuilder a =
        Attributes.builder()
            .put(JfrAttributes.KIND, PhaseKind.GC.label())
            .put(JfrAttributes.GC_ID, gcId)
            .put(JfrAttributes.GC_PAUSE, p.name());
    String name;
    boolean generic = p.name().equals(GENERIC);
    if (c != null) {
      a.put(JfrAttributes.GC_NAME, c.name());
      if (c.cause() != null) {
        a.put(JfrAttributes.GC_CAUSE, c.cause());
      }
      name = "GC pause: " + c.name() + (generic ? "" : " " + p.name());
    } else {
      name = generic ? "GC pause" : "GC pause: " + p.name();
    }
    out.accept(
        new Phase(name, PhaseOrigin.JFR, pid, 0, p.startNs(), p.endNs(), 0, a.build(), null));
  }
}
