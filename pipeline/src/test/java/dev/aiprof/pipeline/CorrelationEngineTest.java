package dev.aiprof.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.CorrelatedPhase;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.PhaseSignal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CorrelationEngineTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ClockSync clock =
      new ClockSync(now::get, () -> Instant.ofEpochSecond(1_700_000_000L));
  private final List<CorrelatedPhase> out = new ArrayList<>();
  private final List<Integer> followed = new ArrayList<>();

  private final Follows follows =
      new Follows() {
        @Override
        public FollowOutcome follow(int pid) {
          followed.add(pid);
          return FollowOutcome.FOLLOWED;
        }

        @Override
        public FollowOutcome followedInKernel(int pid, long sinceNs) {
          return FollowOutcome.FOLLOWED;
        }

        @Override
        public Optional<Followed> followed(int pid) {
          return Optional.empty();
        }
      };

  private CorrelationEngine engine(List<PhaseSignal> signals, int capacity) {
    CorrelationEngine e =
        new CorrelationEngine(
            pid -> Attributes.of(AttributeKey.stringKey("k8s.pod.name"), "pod-" + pid),
            follows,
            clock,
            capacity,
            now::get);
    signals.forEach(e::addSignal);
    e.addSink(out::add);
    return e;
  }

  private static Phase phase(String name, long start, long end) {
    return phase(name, 42, start, end);
  }

  private static Phase phase(String name, int pid, long start, long end) {
    return new Phase(name, PhaseOrigin.MARKER, pid, pid + 1, start, end, 0, null, null);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void phasesWithHugeSpansAreBoundedByBytesAndGiveTheirBytesBackWhenDescribed() {
    CorrelationEngine e = engine(List.of(), 1024).maxBytes(8L << 20);
    io.opentelemetry.api.common.Attributes big =
        Attributes.of(AttributeKey.stringKey("big"), "x".repeat(1_000_000)); // ~2 MB each
    for (int i = 0; i < 10; i++) {
      e.onPhase(
          new Phase(
              "p" + i,
              PhaseOrigin.OTLP,
              42,
              42,
              100,
              200,
              0,
              null,
              new dev.aiprof.api.phase.ForeignSpan(
                  "t",
                  "s",
                  null,
                  null,
                  1,
                  "p" + i,
                  io.opentelemetry.api.trace.SpanKind.INTERNAL,
                  1,
                  2,
                  io.opentelemetry.api.trace.StatusCode.UNSET,
                  null,
                  big,
                  List.of(),
                  List.of(),
                  Attributes.empty(),
                  "scope",
                  null)));
    }
    assertThat(e.dropped()).as("8 MiB hold four of ~2 MB").isEqualTo(6);
    assertThat(e.bytes()).isBetween(8_000_000L, 8L << 20);
    e.pump();
    assertThat(out).hasSize(4);
    assertThat(e.bytes()).isZero();
  }

  @Test
  void aNewSignalPlugsInWithoutEngineChanges() {
    FakeGpuSignal gpu = new FakeGpuSignal();
    PhaseSignal sched = signal("sched", p -> true, p -> true, Duration.ofSeconds(5));
    CorrelationEngine e = engine(List.of(sched, gpu), 16);
    e.onPhase(phase("prefill", 100, 200));
    e.pump();
    assertThat(out).as("held until the GPU samples cover the phase").isEmpty();
    gpu.sample(120, 80);
    gpu.sample(180, 40);
    gpu.sample(250, 0);
    e.pump();
    assertThat(out)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.attributes().get(FakeGpuSignal.UTIL)).isEqualTo(60.0);
              assertThat(c.attributes().get(AttributeKey.stringKey("described.by.sched")))
                  .isEqualTo("yes");
              assertThat(c.value(Category.GPU_BUSY)).isEqualTo(60);
              assertThat(c.late()).isEmpty();
              assertThat(c.workload().get(AttributeKey.stringKey("k8s.pod.name")))
                  .isEqualTo("pod-42");
              assertThat(c.endEpochNanos() - c.startEpochNanos()).isEqualTo(100);
            });
  }

  @Test
  void aPhaseLeavesAsSoonAsItsOwnSignalsAreReady() {
    FakeGpuSignal gpu = new FakeGpuSignal();
    CorrelationEngine e = engine(List.of(gpu), 16);
    e.onPhase(phase("late", 100, 500));
    e.onPhase(phase("early", 100, 200));
    gpu.sample(300, 1);
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("early");
    gpu.sample(600, 1);
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("early", "late");
  }

  @Test
  void aSlowSignalHoldsOnlyThePhasesItIsRelevantToAndIsNamedLate() {
    // A 1 Hz sampler (or a hung device call) that is never ready, relevant to pid 42 only.
    PhaseSignal slow = signal("gpu", p -> p.pid() == 42, p -> false, Duration.ofSeconds(1));
    PhaseSignal fast = signal("sched", p -> true, p -> true, Duration.ofSeconds(5));
    CorrelationEngine e = engine(List.of(slow, fast), 16);
    e.onPhase(phase("on-gpu", 42, 100, 200));
    e.onPhase(phase("cpu-only", 7, 100, 200));
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("cpu-only");
    assertThat(out.getFirst().late()).isEmpty();
    advance(Duration.ofMillis(900));
    e.pump();
    assertThat(out).hasSize(1);
    advance(Duration.ofMillis(200));
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("cpu-only", "on-gpu");
    CorrelatedPhase late = out.get(1);
    assertThat(late.late()).containsExactly("gpu");
    assertThat(late.attributes().get(CorrelationEngine.LATE_SIGNALS)).containsExactly("gpu");
    assertThat(late.attributes().get(AttributeKey.stringKey("described.by.gpu")))
        .as("a late signal still says what it has")
        .isEqualTo("yes");
    assertThat(counters(e)).contains("late{gpu}=1", "late{sched}=0", "late=1", "described=2");
  }

  @Test
  void eachSignalWaitsWithinItsOwnPatience() {
    PhaseSignal oneSecond = signal("a", p -> true, p -> false, Duration.ofSeconds(1));
    PhaseSignal threeSeconds = signal("b", p -> true, p -> false, Duration.ofSeconds(3));
    CorrelationEngine e = engine(List.of(oneSecond, threeSeconds), 16);
    e.onPhase(phase("p", 100, 200));
    advance(Duration.ofMillis(1500));
    e.pump();
    assertThat(out).as("past a's patience, within b's").isEmpty();
    advance(Duration.ofMillis(2000));
    e.pump();
    assertThat(out).singleElement().satisfies(c -> assertThat(c.late()).containsExactly("a", "b"));
  }

  @Test
  void aFailingSignalIsSkippedAndTheOthersStillDescribe() {
    PhaseSignal broken =
        new PhaseSignal() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public boolean ready(Phase p) {
            return true;
          }

          @Override
          public void describe(Phase p, PhaseDescription d) {
            throw new IllegalStateException("boom");
          }
        };
    PhaseSignal ok = signal("ok", p -> true, p -> true, Duration.ofSeconds(5));
    CorrelationEngine e = engine(List.of(broken, ok), 16);
    e.onPhase(phase("p", 1, 2));
    e.pump();
    assertThat(out)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.attributes().get(AttributeKey.stringKey("described.by.ok")))
                    .isEqualTo("yes"));
    assertThat(counters(e)).contains("signal_failures=1");
  }

  @Test
  void aFullInboxDropsAndCountsInsteadOfBlocking() {
    CorrelationEngine e = engine(List.of(), 2);
    for (int i = 0; i < 5; i++) {
      e.onPhase(phase("p" + i, 1, 2));
    }
    assertThat(e.dropped()).isEqualTo(3);
    e.close();
    assertThat(out).hasSize(2);
    e.onPhase(phase("after-close", 1, 2));
    assertThat(e.dropped()).as("a phase after close is dropped, counted").isEqualTo(4);
  }

  @Test
  void asksTheFollowServiceForTheProcessOfEveryPhase() {
    CorrelationEngine e = engine(List.of(), 8);
    e.onPhase(phase("a", 7, 1, 2));
    e.onPhase(phase("b", 7, 3, 4));
    e.onPhase(phase("c", 8, 1, 2));
    e.onPhase(new Phase("no-pid", PhaseOrigin.OTLP, 0, 0, 1, 2, 0, null, null));
    e.pump();
    assertThat(followed).containsExactly(7, 7, 8);
  }

  @Test
  void aPhaseASignalIsNotReadyForWaitsWithoutHoldingBackTheOthers() {
    Set<String> notReady = new HashSet<>(Set.of("rebuilding"));
    PhaseSignal sched =
        signal("sched", p -> true, p -> !notReady.contains(p.name()), Duration.ofSeconds(2));
    CorrelationEngine e = engine(List.of(sched), 16);
    e.onPhase(phase("rebuilding", 100, 200));
    e.onPhase(phase("after", 100, 300));
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("after");
    notReady.clear();
    e.pump();
    assertThat(out).extracting(c -> c.phase().name()).containsExactly("after", "rebuilding");
    assertThat(e.late()).isZero();
    // Never ready: patience still lets it out, counted late.
    notReady.add("stuck");
    e.onPhase(phase("stuck", 400, 500));
    e.pump();
    assertThat(out).hasSize(2);
    advance(Duration.ofSeconds(3));
    e.pump();
    assertThat(out).hasSize(3);
    assertThat(e.late()).isEqualTo(1);
  }

  @Test
  void closingDescribesWhatWaitsAndNamesTheSignalsThatWereNotReady() {
    PhaseSignal never = signal("never", p -> true, p -> false, Duration.ofMinutes(1));
    CorrelationEngine e = engine(List.of(never), 16);
    e.onPhase(phase("p", 1, 2));
    e.pump();
    assertThat(out).isEmpty();
    e.close();
    assertThat(out).singleElement().satisfies(c -> assertThat(c.late()).containsExactly("never"));
  }

  @Test
  void signalsComeBeforeStart() {
    CorrelationEngine e = engine(List.of(), 4);
    e.start();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> e.addSignal(signal("x", p -> true, p -> true, Duration.ofSeconds(1))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("after the engine started");
    } finally {
      e.close();
    }
  }

  private static PhaseSignal signal(
      String name, Predicate<Phase> relevant, Predicate<Phase> ready, Duration patience) {
    AttributeKey<String> mark = AttributeKey.stringKey("described.by." + name);
    return new PhaseSignal() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean relevant(Phase p) {
        return relevant.test(p);
      }

      @Override
      public boolean ready(Phase p) {
        return ready.test(p);
      }

      @Override
      public Duration patience() {
        return patience;
      }

      @Override
      public void describe(Phase p, PhaseDescription d) {
        d.attribute(mark, "yes");
      }
    };
  }

  /** The engine's counters as "outcome=n" and "late{signal}=n". */
  private static List<String> counters(CorrelationEngine e) {
    List<String> seen = new ArrayList<>();
    e.collect(
        new MetricSink() {
          @Override
          public void counter(MetricId m, Attributes a, double v) {
            String signal = a.get(CorrelationEngine.SIGNAL);
            seen.add(
                (signal != null ? "late{" + signal + "}" : a.get(CorrelationEngine.OUTCOME))
                    + "="
                    + (long) v);
          }

          @Override
          public void gauge(MetricId m, Attributes a, double v) {}

          @Override
          public void histogram(MetricId m, Attributes a, Log2Histogram h, long s) {}
        });
    return seen;
  }
}
