package dev.aiprof.api.collector;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.metrics.MetricSource;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.profile.StackSink;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.settings.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * What a starting collector gets from the pipeline, and where it takes up its roles. Each role
 * method may be called only if the provider declared that role ({@link IllegalStateException}
 * otherwise), and only during {@link Collector#start}.
 *
 * <p>The context stays valid for the collector's life: {@link #phases()}, {@link #stacks()} and
 * {@link #follows()} may be used from any thread until close.
 */
public interface CollectorContext {
  /** The collector's name. */
  String name();

  /** Where the host's pseudo-filesystems are. */
  HostPaths paths();

  /** Wall-clock ↔ monotonic conversion shared by every source. */
  ClockSync clock();

  /** The validated settings (every key the agent knows). */
  Settings settings();

  /**
   * A host service the agent provides (the BPF feature probe's {@code Features}, for example).
   *
   * @throws IllegalStateException when the agent offers no such service
   */
  <T> T host(Class<T> type);

  /**
   * What a collector this one {@linkplain CollectorProvider#requires requires} or {@linkplain
   * CollectorProvider#uses uses} offered as {@code type} ({@link #offer}); empty when that
   * collector does not run or offered nothing of the kind.
   */
  <T> Optional<T> dependency(String collector, Class<T> type);

  /** Offers {@code service} to the collectors that depend on this one. */
  <T> void offer(Class<T> type, T service);

  /** Where a {@link Role#PHASE_SOURCE} reports phases. */
  PhaseListener phases();

  /** Where a {@link Role#STACK_SOURCE} reports stack samples. */
  StackSink stacks();

  /** The follow service: ask for a process to be followed. */
  Follows follows();

  /** Takes up {@link Role#PHASE_SIGNAL}. */
  void signal(PhaseSignal signal);

  /** Takes up {@link Role#METRIC_SOURCE}: collected on every export, with self-metrics. */
  void metrics(MetricSource source);

  /** Takes up {@link Role#PROCESS_FOLLOWER}. */
  void follower(ProcessFollower follower);

  /** Takes up {@link Role#REPORT_SECTION}. */
  void report(ReportSection section);

  /**
   * Runs {@code task} every {@code interval} on the pipeline's housekeeping thread (pruning,
   * liveness checks), never inside a metric collection. A task that throws is logged once and
   * counted, and runs again at its next time. Tasks stop before the collector closes.
   */
  void every(String task, Duration interval, Runnable run);
}
