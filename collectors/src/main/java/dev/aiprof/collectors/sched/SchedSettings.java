package dev.aiprof.collectors.sched;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The scheduler collector's settings: every key it reads, with its default and bounds. */
public final class SchedSettings {
  public static final Setting<Duration> MIN_EVENT =
      Setting.duration(
          "sched.min-event",
          Duration.ofMillis(1),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "off-CPU or runqueue gaps at least this long are sent as events for every process");
  public static final Setting<Boolean> TRACE_FOLLOWED =
      Setting.flag(
          "sched.trace-followed",
          true,
          "send every episode of a followed process (the phase timelines need it)");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "sched.retention",
          Duration.ofSeconds(60),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how long the timelines of followed threads keep episodes");
  public static final Setting<Duration> MIN_STALL =
      Setting.duration(
          "sched.min-stall",
          Duration.ofMillis(1),
          Duration.ZERO,
          Duration.ofSeconds(10),
          "episodes at least this long inside a phase become span events (aiprof.sched.stall)");
  public static final Setting<Integer> MAX_THREADS =
      Setting.integer(
          "sched.max-threads",
          8192,
          16,
          1 << 20,
          "threads of followed processes with a timeline; more are refused (counted)");
  public static final Setting<Integer> MAX_EPISODES =
      Setting.integer(
          "sched.max-episodes",
          65_536,
          64,
          1 << 20,
          "episodes one thread's timeline keeps; the oldest go first");
  public static final Setting<Long> TIMELINE_MEMORY =
      Setting.size(
          "sched.timeline-memory",
          32L << 20,
          1L << 20,
          4L << 30,
          "memory all timelines together may take; beyond it a timeline does not grow and"
              + " drops its oldest episodes, and new threads are refused (counted)");
  public static final Setting<Duration> CGROUP_CHECK_INTERVAL =
      Setting.duration(
          "sched.cgroup-check-interval",
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how often statistics of removed cgroups are deleted (they stop being exported)");

  static final List<Setting<?>> ALL =
      List.of(
          MIN_EVENT,
          TRACE_FOLLOWED,
          RETENTION,
          MIN_STALL,
          MAX_THREADS,
          MAX_EPISODES,
          TIMELINE_MEMORY,
          CGROUP_CHECK_INTERVAL);

  private SchedSettings() {}
}
