package dev.aiprof.agent.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.profile.GroundTruth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;

/**
 * What a trace backend must give back of {@link TracedWorkload}'s phases, whichever backend it is:
 * its own spans, forwarded with their ids, parents, names, times and resource intact plus the
 * agent's identity and findings; and the spans the agent made of the marker's phases, with the same
 * nesting. Findings are checked against the workload's own kernel accounting of each phase.
 */
final class TraceChecks {
  private TraceChecks() {}

  /**
   * @param resolutionNanos how finely the backend keeps times (Zipkin: 1 µs)
   */
  static void forwarded(TracedWorkload w, List<ExportedSpan> all, long resolutionNanos) {
    List<WorkloadSpan> own = w.spans();
    assertThat(own).as("spans the workload sent").hasSize(TracedWorkload.SPANS);
    Map<String, ExportedSpan> byId =
        all.stream()
            .collect(Collectors.toMap(ExportedSpan::spanId, Function.identity(), (a, b) -> a));
    SoftAssertions soft = new SoftAssertions();
    for (WorkloadSpan s : own) {
      ExportedSpan e = byId.get(s.spanId());
      soft.assertThat(e).as("the backend has the workload's span %s", s).isNotNull();
      if (e == null) {
        continue;
      }
      String what = s.name() + " " + s.spanId();
      soft.assertThat(e.traceId()).as("trace id of " + what).isEqualTo(s.traceId());
      soft.assertThat(e.parentId()).as("parent of " + what).isEqualTo(s.parentId());
      soft.assertThat(e.name()).as(what).isEqualTo(s.name());
      soft.assertThat(e.service()).as("service of " + what).isEqualTo("phased-workload");
      soft.assertThat(e.get("telemetry.sdk.language"))
          .as("the workload's own resource attribute on " + what)
          .isEqualTo("java");
      soft.assertThat(e.startNanos())
          .as("start of " + what)
          .isCloseTo(s.startNanos(), within(resolutionNanos));
      soft.assertThat(e.endNanos())
          .as("end of " + what)
          .isCloseTo(s.endNanos(), within(resolutionNanos));
      identity(soft, w, e, what);
    }
    soft.assertAll();
    findings(w, own.stream().map(s -> byId.get(s.spanId())).toList());
  }

  /**
   * The agent's spans of the marker's phases: one per phase, nested as the workload nested them.
   */
  static void created(TracedWorkload w, List<ExportedSpan> all) {
    List<ExportedSpan> marker =
        all.stream()
            .filter(e -> "marker".equals(e.get("aiprof.phase.origin")))
            .filter(e -> Long.toString(w.pid()).equals(e.get("process.pid")))
            .toList();
    assertThat(marker)
        .as("spans the agent made of the marker's phases")
        .hasSize(TracedWorkload.SPANS);
    List<ExportedSpan> rounds = marker.stream().filter(e -> e.name().equals("round")).toList();
    assertThat(rounds).hasSize(TracedWorkload.ROUNDS);
    SoftAssertions soft = new SoftAssertions();
    for (ExportedSpan e : marker) {
      String what = "marker span " + e.name() + " " + e.spanId();
      identity(soft, w, e, what);
      soft.assertThat(e.service()).as("service of " + what).isNotBlank();
      if (e.name().equals("round") || e.name().equals("warmup")) {
        soft.assertThat(e.parentId()).as("a top-level phase: " + what).isNull();
        continue;
      }
      ExportedSpan round =
          rounds.stream()
              .filter(r -> r.startNanos() <= e.startNanos() && e.endNanos() <= r.endNanos())
              .findFirst()
              .orElse(null);
      soft.assertThat(round).as("a round around " + what).isNotNull();
      if (round != null) {
        soft.assertThat(e.parentId()).as("parent of " + what).isEqualTo(round.spanId());
        soft.assertThat(e.traceId()).as("trace of " + what).isEqualTo(round.traceId());
      }
    }
    soft.assertAll();
    findings(w, marker);
  }

  /** Where the kernel says it ran: the workload's process, thread and pod. */
  private static void identity(SoftAssertions soft, TracedWorkload w, ExportedSpan e, String what) {
    soft.assertThat(e.get("process.pid"))
        .as("process.pid of " + what)
        .isEqualTo(Long.toString(w.pid()));
    soft.assertThat(e.get("k8s.pod.uid")).as("k8s.pod.uid of " + what).isEqualTo(w.podUid());
    soft.assertThat(e.get("container.id")).as("container.id of " + what).isEqualTo(w.containerId());
    soft.assertThat(e.get("thread.id")).as("thread.id of " + what).isNotBlank();
  }

  /**
   * The agent's {@code aiprof.sched.*} findings and stall events on each phase's span, against the
   * workload's own accounting of that phase (the n-th span of a name is its n-th round).
   */
  static void findings(TracedWorkload w, List<ExportedSpan> spans) {
    SoftAssertions soft = new SoftAssertions();
    List<ExportedSpan> sorted =
        spans.stream().sorted(Comparator.comparingLong(ExportedSpan::startNanos)).toList();
    for (String name : List.of("round", "load", "compute", "wait", "io")) {
      List<ExportedSpan> named = sorted.stream().filter(s -> s.name().equals(name)).toList();
      List<GroundTruth> truth =
          w.phases().stream()
              .filter(p -> p.name().equals(name))
              .sorted(Comparator.comparingInt(GroundTruth::round))
              .toList();
      soft.assertThat(named).as("spans named " + name).hasSameSizeAs(truth);
      for (int i = 0; i < Math.min(named.size(), truth.size()); i++) {
        phase(soft, named.get(i), truth.get(i));
      }
    }
    soft.assertAll();
  }

  private static void phase(SoftAssertions soft, ExportedSpan s, GroundTruth t) {
    String origin = s.get("aiprof.phase.origin");
    String what =
        s.name()
            + " round "
            + t.round()
            + " ("
            + (origin == null ? "own" : origin)
            + ") "
            + s.attributes()
            + " events "
            + s.events()
            + " vs "
            + t;
    double wallMs = t.wallNs() / 1e6;
    double spanMs = (s.endNanos() - s.startNanos()) / 1e6;
    // The workload read its clock just outside its marks: the span lies within that bracket.
    soft.assertThat(spanMs)
        .as("duration of " + what + " vs the workload's bracket of it")
        .isBetween(0.5 * wallMs - 1, wallMs + 1);
    soft.assertThat(s.get("thread.id"))
        .as("thread of " + what)
        .isEqualTo(Integer.toString(t.tid()));
    soft.assertThat(s.number("aiprof.sched.coverage"))
        .as("coverage of " + what)
        .isGreaterThanOrEqualTo(0.9);
    soft.assertThat(s.number("aiprof.sched.on_cpu_ms")).as("on-CPU of " + what).isPositive();
    List<ExportedSpan.Event> stalls =
        s.events().stream().filter(e -> e.name().equals("aiprof.sched.stall")).toList();
    for (ExportedSpan.Event e : stalls) {
      soft.assertThat(e.epochNanos())
          .as("stall time in " + what)
          .isBetween(s.startNanos() - 1_000_000, s.endNanos() + 1_000);
    }
    switch (s.name()) {
      case "compute", "round" -> {
        double kernel = t.runDelayNs() / 1e6;
        soft.assertThat(s.number("aiprof.sched.runqueue_ms"))
            .as("runqueue wait of " + what + " vs the kernel's run_delay " + kernel + " ms")
            .isGreaterThanOrEqualTo(0.5 * kernel)
            .isPositive();
        soft.assertThat(stalls)
            .as("runqueue stalls in " + what)
            .anyMatch(e -> "runqueue".equals(e.attributes().get("aiprof.sched.stall.kind")));
      }
      case "wait" -> {
        soft.assertThat(s.number("aiprof.sched.sleep_ms"))
            .as("sleep in " + what)
            .isGreaterThan(100.0);
        soft.assertThat(stalls)
            .as("the 150 ms sleep as a stall in " + what)
            .anyMatch(
                e ->
                    "sleep".equals(e.attributes().get("aiprof.sched.stall.kind"))
                        && Double.parseDouble(e.attributes().get("aiprof.sched.stall.duration_ms"))
                            > 100);
      }
      default ->
          soft.assertThat(s.number("aiprof.sched.blocked_ms"))
              .as("disk waits in " + what)
              .isPositive();
    }
  }

  private static org.assertj.core.data.Offset<Long> within(long nanos) {
    return org.assertj.core.data.Offset.offset(nanos);
  }
}
