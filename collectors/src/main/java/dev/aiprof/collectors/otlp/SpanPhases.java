package dev.aiprof.collectors.otlp;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.ForeignSpan;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.api.sandbox.SandboxDirectory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ForeignSpan} → the {@link Phase} of its process and thread. The process is the resource
 * attribute {@code process.pid} (the SDKs' process detectors set it), else a span attribute {@code
 * process.pid}; the thread is the span attribute {@code thread.id}. Either may be an integer or a
 * decimal string. A value that cannot be a Linux pid or tid (outside 1–4194304, the kernel's
 * PID_MAX_LIMIT, such as Python's {@code threading.get_ident()}) counts as absent: no pid gives pid
 * 0 (not correlated, still forwarded), no thread gives tid 0 (process-wide). Times are converted
 * from the workload's wall clock with {@link ClockSync}. Pure and thread-safe.
 */
final class SpanPhases {
  /** The kernel's PID_MAX_LIMIT on 64-bit: no pid or tid is larger. */
  static final long PID_MAX_LIMIT = 4_194_304;

  private static final AttributeKey<String> PID_TEXT = AttributeKey.stringKey("process.pid");
  private static final AttributeKey<String> TID_TEXT = AttributeKey.stringKey("thread.id");

  private static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  private static final AttributeKey<String> POD_UID = AttributeKey.stringKey("k8s.pod.uid");

  /**
   * {@code aiprof.sandbox.matched_by}: what matched a sandbox's span: the resource attribute
   * ({@code container.id}, {@code k8s.pod.uid}) or its {@code connection}.
   */
  static final AttributeKey<String> MATCHED_BY =
      AttributeKey.stringKey("aiprof.sandbox.matched_by");

  private SpanPhases() {}

  static Phase phase(ForeignSpan s, ClockSync clock) {
    return phase(s, clock, null);
  }

  /**
   * As {@link #phase(ForeignSpan, ClockSync)}, but a span whose resource names a sandboxed
   * container or pod ({@code container.id}, else {@code k8s.pod.uid}) that {@code sandboxes} knows
   * is the sandbox's: its pid is the sandbox's main host process (the Sentry, the VMM), its tid 0
   * (phase-wide), never the span's own {@code process.pid}, which is a pid inside the sandbox; its
   * attributes gain {@code aiprof.sandbox}, {@code aiprof.sandbox.matched_by} and {@code
   * aiprof.sched.observable=false}.
   *
   * @param sandboxes the host's sandboxes, or null for none
   */
  static Phase phase(ForeignSpan s, ClockSync clock, SandboxDirectory sandboxes) {
    return phase(s, clock, sandboxes, Optional::empty);
  }

  /**
   * As {@link #phase(ForeignSpan, ClockSync, SandboxDirectory)}; a span whose resource attributes
   * match no sandbox is the sandbox's that {@code origin} names (the connection it came on: {@link
   * SandboxDirectory#byConnection}), if any, before its {@code process.pid} is looked at.
   *
   * @param origin the sandbox the span's connection came from; asked only when needed
   */
  static Phase phase(
      ForeignSpan s,
      ClockSync clock,
      SandboxDirectory sandboxes,
      Supplier<Optional<SandboxDirectory.Match>> origin) {
    if (sandboxes != null) {
      Optional<SandboxDirectory.Match> m =
          sandboxes.find(s.resource().get(CONTAINER_ID), s.resource().get(POD_UID));
      if (m.isEmpty()) {
        m = origin.get();
      }
      if (m.isPresent()) {
        Sandbox sb = m.get().sandbox();
        Attributes a =
            s.attributes().toBuilder()
                .put(Sandbox.SANDBOX, sb.kind().label())
                .put(MATCHED_BY, m.get().matchedBy())
                .put(Sandbox.SCHED_OBSERVABLE, false)
                .put(Sandbox.SCHED_REASON, sb.reason())
                .build();
        return new Phase(
            s.name(),
            PhaseOrigin.OTLP,
            m.get().hostPid(),
            0,
            clock.toMonotonic(s.startEpochNanos()),
            clock.toMonotonic(s.endEpochNanos()),
            0,
            a,
            s);
      }
    }
    return new Phase(
        s.name(),
        PhaseOrigin.OTLP,
        pid(s),
        tid(s),
        clock.toMonotonic(s.startEpochNanos()),
        clock.toMonotonic(s.endEpochNanos()),
        0,
        s.attributes(),
        s);
  }

  /** The span's process, or 0 when it names none. */
  static int pid(ForeignSpan s) {
    int pid = id(s.resource(), Identity.PID, PID_TEXT);
    return pid != 0 ? pid : id(s.attributes(), Identity.PID, PID_TEXT);
  }

  /** The span's thread, or 0 when it names none (process-wide). */
  static int tid(ForeignSpan s) {
    return id(s.attributes(), Identity.TID, TID_TEXT);
  }

  private static int id(Attributes a, AttributeKey<Long> number, AttributeKey<String> text) {
    Long n = a.get(number);
    if (n == null) {
      String t = a.get(text);
      if (t != null && t.strip().matches("\\d{1,7}")) {
        n = Long.parseLong(t.strip());
      }
    }
    return n != null && n > 0 && n <= PID_MAX_LIMIT ? n.intValue() : 0;
  }
}
