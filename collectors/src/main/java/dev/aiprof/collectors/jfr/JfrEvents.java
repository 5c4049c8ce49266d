package dev.aiprof.collectors.jfr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JFR events the collector enables, and nothing else: GC pauses (with their collection, for the
 * collector's name and cause), safepoint begin/end with the VM operation run at the safepoint, and
 * user-declared {@code aiprof.Phase} events (without stack traces). All are rare (per GC, per
 * safepoint, per user step), so thresholds are 0 except GC pauses, which use {@code
 * jfr.min-duration}.
 */
final class JfrEvents {
  static final String GC_PAUSE = "jdk.GCPhasePause";
  static final String GC = "jdk.GarbageCollection";
  static final String SAFEPOINT_BEGIN = "jdk.SafepointBegin";
  static final String SAFEPOINT_END = "jdk.SafepointEnd";
  static final String VM_OPERATION = "jdk.ExecuteVMOperation";
  static final String USER_PHASE = "aiprof.Phase";

  static final List<String> NAMES =
      List.of(GC_PAUSE, GC, SAFEPOINT_BEGIN, SAFEPOINT_END, VM_OPERATION, USER_PHASE);

  private JfrEvents() {}

  /** Event settings in JFR's {@code name#setting} form, for a recording with no other settings. */
  static Map<String, String> settings(Duration minDuration) {
    Map<String, String> s = new LinkedHashMap<>();
    for (String name : NAMES) {
      s.put(name + "#enabled", "true");
      s.put(name + "#threshold", name.equals(GC_PAUSE) ? minDuration.toNanos() + " ns" : "0 ns");
    }
    s.put(USER_PHASE + "#stackTrace", "false");
    return s;
  }

  /** The same settings as {@code JFR.start} options ({@code +name#setting=value}, no spaces). */
  static List<String> jcmdOptions(Duration minDuration) {
    List<String> out = new ArrayList<>();
    settings(minDuration).forEach((k, v) -> out.add("+" + k + "=" + v.replace(" ", "")));
    return out;
  }
}
