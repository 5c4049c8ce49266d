package dev.aiprof.collectors.sched;

import dev.aiprof.api.metrics.MetricId;
import io.opentelemetry.api.common.AttributeKey;

/** The metrics the scheduler collector reports, per workload identity. */
public final class SchedMetrics {
  public static final AttributeKey<String> STATE = AttributeKey.stringKey("aiprof.sched.state");
  public static final AttributeKey<String> PROBE = AttributeKey.stringKey("aiprof.probe");

  public static final MetricId RUNQUEUE_LATENCY =
      MetricId.histogram(
          "aiprof.sched.runqueue.latency",
          "Time threads waited on a CPU runqueue after becoming runnable (woken or preempted)");
  public static final MetricId BLOCKED_DURATION =
      MetricId.histogram(
          "aiprof.sched.blocked.duration",
          "Length of uninterruptible (D-state) sleeps: usually disk or page-fault I/O");
  public static final MetricId CPU_TIME =
      MetricId.counter("aiprof.sched.cpu.time", "Time threads spent running on a CPU", "s");
  public static final MetricId OFFCPU_TIME =
      MetricId.counter(
          "aiprof.sched.offcpu.time",
          "Time threads spent off-CPU, by state: sleep, blocked (D), other, or runqueue wait",
          "s");
  public static final MetricId OFFCPU_EPISODES =
      MetricId.counter(
          "aiprof.sched.offcpu.episodes",
          "Times threads left a CPU, by the state they left in (preempted = involuntary switch)",
          "{episode}");
  public static final MetricId PROBE_EVENTS =
      MetricId.counter("aiprof.probe.events", "Events the probe sent to user space", "{event}");

  /** Attribute of {@link #PROBE_REBUILT}: which untraced scheduler event was made up for. */
  public static final AttributeKey<String> MISSED = AttributeKey.stringKey("aiprof.missed");

  public static final MetricId PROBE_REBUILT =
      MetricId.counter(
          "aiprof.probe.rebuilt",
          "Episodes the scheduler probe completed from the kernel's own accounting because the"
              + " kernel did not trace one of their events (a wakeup or a switch-in)",
          "{episode}");
  public static final MetricId PROBE_DROPPED =
      MetricId.counter(
          "aiprof.probe.dropped",
          "Events the probe dropped because its ring buffer was full",
          "{event}");

  private SchedMetrics() {}
}
