package dev.aiprof.profiler;

import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;

/** The profile collector's settings: every key it reads, with its default and bounds. */
public final class ProfileSettings {
  public static final Setting<Integer> FREQUENCY =
      Setting.integer(
          "profile.frequency",
          19,
          1,
          1000,
          "CPU-clock samples a second on each CPU (19 Hz: one sample per 53 ms of CPU time)");
  public static final Setting<Integer> MAX_STACKS =
      Setting.integer(
          "profile.max-stacks",
          8192,
          256,
          1 << 20,
          "entries of each of the kernel's two stack maps (512 bytes each, preallocated): new"
              + " stacks go to the other, empty, map when a thirty-second of one is used, so that"
              + " they rarely collide (collisions counted)");
  public static final Setting<Boolean> OFF_CPU =
      Setting.flag(
          "profile.off-cpu",
          true,
          "take the stacks of followed threads at switch-out and report those of stalls of at"
              + " least sched.min-stall");
  public static final Setting<Integer> MAX_SAMPLES =
      Setting.integer(
          "profile.max-samples",
          65_536,
          1024,
          1 << 24,
          "samples kept for phases, all threads together; more are refused (counted)");
  public static final Setting<Duration> RETENTION =
      Setting.duration(
          "profile.retention",
          Duration.ofSeconds(60),
          Duration.ofSeconds(1),
          Duration.ofHours(1),
          "how long samples are kept for phases that have not ended yet");
  public static final Setting<Integer> TOP =
      Setting.integer(
          "profile.top", 5, 1, 50, "functions listed per phase (self and total) on its span");
  public static final Setting<Boolean> FILES =
      Setting.flag(
          "profile.files",
          true,
          "write folded stacks and pprof files per phase name when a report ends");
  public static final Setting<String> OUTPUT_DIR =
      Setting.text(
          "profile.output-dir",
          "",
          "where profile files go (default: /var/lib/aiprof/profiles as root, else"
              + " ~/.local/share/aiprof/profiles)");
  public static final Setting<Boolean> JVM_PERF_MAP =
      Setting.flag(
          "profile.jvm-perf-map",
          true,
          "ask a followed JVM with unresolved JIT frames for a perf map (jcmd PID"
              + " Compiler.perfmap: at once, then backing off from 2 s to 64 s per JVM)");

  static final List<Setting<?>> ALL =
      List.of(
          FREQUENCY,
          MAX_STACKS,
          OFF_CPU,
          MAX_SAMPLES,
          RETENTION,
          TOP,
          FILES,
          OUTPUT_DIR,
          JVM_PERF_MAP);

  private ProfileSettings() {}
}
