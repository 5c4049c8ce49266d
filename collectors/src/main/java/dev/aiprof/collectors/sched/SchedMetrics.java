package dev.aiprof.collectors.sched;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

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

  /** Attribute of {@link #PROBE_FAULTS}: which loss or fault. */
  public static final AttributeKey<String> FAULT = AttributeKey.stringKey("aiprof.fault");

  public static final MetricId PROBE_FAULTS =
      MetricId.counter(
          "aiprof.probe.faults",
          "What a probe could not record, by fault: cgroups_full (its cgroup map was full),"
              + " state_missing (no per-task state), switch_out_missing (an episode of a followed"
              + " thread lost), follow_full (the followed map was full), handler_failed (user space"
              + " could not take an event)",
          "{event}");

  /** Attribute of {@link #TIMELINE_REFUSED}: why. */
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("aiprof.reason");

  public static final MetricId TIMELINE_REFUSED =
      MetricId.counter(
          "aiprof.sched.timeline.refused",
          "What the timelines of followed threads did not keep, by reason: threads (a new thread"
              + " past sched.max-threads), memory (a new thread past sched.timeline-memory),"
              + " evicted (episodes dropped early for memory), out_of_order (an episode older than"
              + " the one before)",
          "{item}");
  public static final MetricId TIMELINE_MEMORY =
      MetricId.gauge(
          "aiprof.sched.timeline.memory",
          "Memory the timelines of followed threads hold (their bound is sched.timeline-memory)",
          "By");
  public static final MetricId TIMELINE_THREADS =
      MetricId.gauge(
          "aiprof.sched.timeline.threads",
          "Threads of followed processes with a timeline",
          "{thread}");
  public static final MetricId FOLLOWED =
      MetricId.gauge(
          "aiprof.sched.followed",
          "Processes in the kernel's followed map (its capacity is aiprof.sched.followed.capacity)",
          "{process}");
  public static final MetricId FOLLOWED_CAPACITY =
      MetricId.gauge(
          "aiprof.sched.followed.capacity", "Entries the kernel's followed map holds", "{process}");
  public static final MetricId CGROUPS_REMOVED =
      MetricId.counter(
          "aiprof.sched.cgroups.removed",
          "Statistics of removed cgroups deleted from the probe (they stop being exported)",
          "{cgroup}");

  private SchedMetrics() {}

  /**
   * Adds {@code n} to {@link #PROBE_FAULTS} of the probe named by {@code self}, for {@code fault}.
   */
  public static void fault(MetricSink sink, Attributes self, String fault, long n) {
    sink.counter(PROBE_FAULTS, self.toBuilder().put(FAULT, fault).build(), n);
  }
}
