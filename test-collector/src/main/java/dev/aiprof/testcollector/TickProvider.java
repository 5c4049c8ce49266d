package dev.aiprof.testcollector;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.api.collector.Role;
import dev.aiprof.api.settings.Setting;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Registers the tick collector ({@link TickCollector}), in {@code META-INF/services} only. It is a
 * phase source, a phase signal, a metric source, a report section and a stack source at once.
 */
public final class TickProvider implements CollectorProvider {
  public static final String NAME = "tick";

  public static final Setting<Duration> INTERVAL =
      Setting.duration(
          "tick.interval",
          Duration.ofMillis(200),
          Duration.ofMillis(10),
          Duration.ofMinutes(1),
          "how often the tick collector reports a phase (tests only)");

  /** A fault for supervision tests: the tick signal's {@code ready} throws an Error. */
  public static final Setting<Boolean> FAIL =
      Setting.flag(
          "tick.fail",
          false,
          "the tick signal throws StackOverflowError on every phase (tests of supervision only)");

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public Set<Role> roles() {
    return Set.of(
        Role.PHASE_SOURCE,
        Role.PHASE_SIGNAL,
        Role.METRIC_SOURCE,
        Role.REPORT_SECTION,
        Role.STACK_SOURCE);
  }

  /** Off unless asked for ({@code --enable tick}): it reports phases of the agent itself. */
  @Override
  public boolean enabledByDefault() {
    return false;
  }

  @Override
  public List<Setting<?>> settings() {
    return List.of(INTERVAL, FAIL);
  }

  @Override
  public Collector create() {
    return new TickCollector();
  }
}
