package dev.aiprof.collectors.jfr;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pairs {@code jdk.SafepointBegin} and {@code jdk.SafepointEnd} (by safepoint id) into process-wide
 * phases from the start of the begin event (the VM thread starts stopping threads) to the end of
 * the end event, named after the VM operation run at the safepoint ({@code jdk.ExecuteVMOperation},
 * which arrives between the two): "safepoint: G1CollectForAllocation". Safepoints shorter than
 * {@code minNs} are not reported. An end without its begin, or a begin whose end does not come
 * within {@code patienceNs} of event time, is counted as unpaired. Both maps are bounded.
 *
 * <p>Not thread-safe: one JVM's stream thread.
 */
final class Safepoints {
  static final int CAPACITY = 64;

  private record Begin(long startNs) {}

  private final int pid;
  private final long minNs;
  private final long patienceNs;
  private final Consumer<Phase> out;
  private final JfrCounters counters;
  private final Map<Long, Begin> begins = new LinkedHashMap<>();
  private final Map<Long, String> operations = new LinkedHashMap<>();

  Safepoints(int pid, long minNs, long patienceNs, Consumer<Phase> out, JfrCounters counters) {
    this.pid = pid;
    this.minNs = minNs;
    this.patienceNs = patienceNs;
    this.out = out;
    this.counters = counters;
  }

  void begin(long id, long startNs) {
    begins.put(id, new Begin(startNs));
    if (begins.size() > CAPACITY) {
      begins.remove(begins.keySet().iterator().next());
      counters.drop(JfrCounters.Drop.UNPAIRED);
    }
  }

  void operation(long id, String operation) {
    operations.put(id, operation);
    if (operations.size() > CAPACITY) {
      operations.remove(operations.keySet().iterator().next());
    }
  }

  void end(long id, long endNs) {
    Begin b = begins.remove(id);
    String op = operations.remove(id);
    if (b == null) {
      counters.drop(JfrCounters.Drop.UNPAIRED);
      return;
    }
    if (endNs - b.startNs() < minNs) {
      return;
    }
    AttributesBuilder a =
        Attributes.builder()
            .put(JfrAttributes.KIND, PhaseKind.SAFEPOINT.label())
            .put(JfrAttributes.SAFEPOINT_ID, id);
    if (op != null) {
      a.put(JfrAttributes.VM_OPERATION, op);
    }
    String name = op == null ? "safepoint" : "safepoint: " + op;
    out.accept(new Phase(name, PhaseOrigin.JFR, pid, 0, b.startNs(), endNs, 0, a.build(), null));
  }

  /** Forgets begins whose end has not come within the patience (counted as unpaired). */
  void expire(long nowNs) {
    for (Iterator<Map.Entry<Long, Begin>> it = begins.entrySet().iterator(); it.hasNext(); ) {
      if (nowNs - it.next().getValue().startNs() > patienceNs) {
        it.remove();
        counters.drop(JfrCounters.Drop.UNPAIRED);
      }
    }
  }

  int waiting() {
    return begins.size();
  }
}
