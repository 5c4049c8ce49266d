package dev.aiprof.testcollector;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.profile.StackSample;
import dev.aiprof.api.profile.StackSink;
import dev.aiprof.api.report.ReportScope;
import dev.aiprof.api.report.ReportSection;
import dev.aiprof.api.report.ReportWriter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every {@code tick.interval} (on the pipeline's housekeeping thread) it reports a process-wide
 * phase "tick" of the agent's own process, origin {@code tick}, covering the interval before, and a
 * one-frame stack sample. Its signal describes tick phases only, once the next tick has passed
 * their end ({@code aiprof.tick.seen}, and one {@link Category#PAGE_CACHE_MISSES} per phase so
 * reports show a column of its own); its metric is the number of ticks; its report section says how
 * many ticks the window had. Thread-safe.
 */
final class TickCollector implements Collector {
  static final PhaseOrigin ORIGIN = PhaseOrigin.of("tick");
  static final AttributeKey<Boolean> SEEN = AttributeKey.booleanKey("aiprof.tick.seen");
  static final MetricId TICKS = MetricId.counter("aiprof.tick.phases", "Ticks reported", "{tick}");

  private final AtomicLong ticks = new AtomicLong();
  private final int pid = (int) ProcessHandle.current().pid();
  private volatile long lastTickNs = Long.MIN_VALUE;
  private volatile boolean fail;

  @Override
  public void start(CollectorContext context) {
    Duration every = context.settings().get(TickProvider.INTERVAL);
    fail = context.settings().get(TickProvider.FAIL);
    PhaseListener phases = context.phases();
    StackSink stacks = context.stacks();
    context.signal(new TickSignal());
    context.metrics(this::collect);
    context.report(new TickSection());
    context.every("tick", every, () -> tick(phases, stacks, every));
  }

  private void tick(PhaseListener phases, StackSink stacks, Duration every) {
    long now = System.nanoTime();
    lastTickNs = now;
    ticks.incrementAndGet();
    phases.onPhase(
        new Phase("tick", ORIGIN, pid, 0, now - every.toNanos(), now, 0, Attributes.empty(), null));
    stacks.onStack(
        new StackSample(
            pid, pid, now, StackSample.Kind.ON_CPU, every.toNanos(), new long[] {1}, new long[0]));
  }

  private void collect(MetricSink sink) {
    sink.counter(TICKS, Attributes.empty(), ticks.get());
  }

  private final class TickSignal implements PhaseSignal {
    @Override
    public String name() {
      return "tick";
    }

    @Override
    public boolean relevant(Phase phase) {
      return phase.origin().equals(ORIGIN);
    }

    @Override
    public boolean ready(Phase phase) {
      if (fail) {
        throw new StackOverflowError("tick.fail=true (a test's fault)");
      }
      return lastTickNs > phase.endNs();
    }

    @Override
    public void describe(Phase phase, PhaseDescription out) {
      out.attribute(SEEN, true).amount(Category.PAGE_CACHE_MISSES, 1);
    }
  }

  private final class TickSection implements ReportSection {
    private long atOpen;

    @Override
    public int order() {
      return 250;
    }

    @Override
    public void open(ReportScope scope) {
      atOpen = ticks.get();
    }

    @Override
    public void render(ReportWriter out) {
      out.heading("Ticks (the test collector)");
      out.line((ticks.get() - atOpen) + " ticks in the window");
    }
  }

  @Override
  public void close() {}
}
