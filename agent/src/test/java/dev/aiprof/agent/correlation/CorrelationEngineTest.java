package dev.aiprof.agent.correlation;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CorrelationEngineTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ClockSync clock =
      new ClockSync(now::get, () -> Instant.ofEpochSecond(1_700_000_000L));
  private final List<CorrelatedPhase> out = new ArrayList<>();
  private final List<Integer> followed = new ArrayList<>();

  private CorrelationEngine engine(List<PhaseSignal> signals, int capacity) {
    CorrelationEngine e =
        new CorrelationEngine(
            signals,
            pid -> Attributes.of(AttributeKey.stringKey("k8s.pod.name"), "pod-" + pid),
            followed::add,
            clock,
            capacity,
            Duration.ofSeconds(2),
            now::get);
    e.addSink(out::add);
    return e;
  }

  private static Phase phase(String name, long start, long end) {
    return new Phase(name, PhaseOrigin.MARKER, 42, 43, start, end, 0, null, null);
  }

  @Test
  void aNewSignalPlugsInWithoutEngineChanges() {
    FakeGpuSignal gpu = new FakeGpuSignal();
    PhaseSignal sched =
        constantSignal("sched", AttributeKey.doubleKey("aiprof.sched.on_cpu_ms"), 5.0);
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
              assertThat(c.attributes().get(AttributeKey.doubleKey("aiprof.sched.on_cpu_ms")))
                  .isEqualTo(5.0);
              assertThat(c.time("gpu_busy")).isEqualTo(60);
              assertThat(c.workload().get(AttributeKey.stringKey("k8s.pod.name")))
                  .isEqualTo("pod-42");
              assertThat(c.endEpochNanos() - c.startEpochNanos()).isEqualTo(100);
            });
  }

  @Test
  void phasesLeaveInOrderOfTheirEnds() {
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
  void patienceRunsOutAndTheLateCountSaysSo() {
    FakeGpuSignal gpu = new FakeGpuSignal();
    CorrelationEngine e = engine(List.of(gpu), 16);
    e.onPhase(phase("stuck", 100, 200));
    e.pump();
    assertThat(out).isEmpty();
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    e.pump();
    assertThat(out).hasSize(1);
    var sink =
        new dev.aiprof.api.metrics.MetricSink() {
          final List<String> seen = new ArrayList<>();

          @Override
          public void counter(dev.aiprof.api.metrics.MetricId m, Attributes a, double v) {
            seen.add(a.get(CorrelationEngine.OUTCOME) + "=" + (long) v);
          }

          @Override
          public void gauge(dev.aiprof.api.metrics.MetricId m, Attributes a, double v) {}

          @Override
          public void histogram(
              dev.aiprof.api.metrics.MetricId m,
              Attributes a,
              dev.aiprof.api.metrics.Log2Histogram h,
              long s) {}
        };
    e.collect(sink);
    assertThat(sink.seen).contains("received=1", "described=1", "late=1", "dropped=0");
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
          public long completeUntil() {
            return Long.MAX_VALUE;
          }

          @Override
          public void describe(Phase p, PhaseDescription d) {
            throw new IllegalStateException("boom");
          }
        };
    PhaseSignal ok = constantSignal("ok", AttributeKey.doubleKey("x"), 1.0);
    CorrelationEngine e = engine(List.of(broken, ok), 16);
    e.onPhase(phase("p", 1, 2));
    e.pump();
    assertThat(out)
        .singleElement()
        .satisfies(c -> assertThat(c.attributes().get(AttributeKey.doubleKey("x"))).isEqualTo(1.0));
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
  }

  @Test
  void followsEachProcessOnce() {
    CorrelationEngine e = engine(List.of(), 2);
    e.onProcess(7);
    e.onProcess(7);
    e.onProcess(8);
    e.onProcess(0);
    assertThat(followed).containsExactly(7, 8);
  }

  @Test
  void aPhaseASignalIsNotReadyForWaitsWithoutHoldingBackTheOthers() {
    java.util.Set<String> notReady = new java.util.HashSet<>(java.util.Set.of("rebuilding"));
    PhaseSignal sched =
        new PhaseSignal() {
          @Override
          public String name() {
            return "sched";
          }

          @Override
          public long completeUntil() {
            return Long.MAX_VALUE;
          }

          @Override
          public boolean ready(Phase p) {
            return !notReady.contains(p.name());
          }

          @Override
          public void describe(Phase p, PhaseDescription d) {}
        };
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
    now.addAndGet(Duration.ofSeconds(3).toNanos());
    e.pump();
    assertThat(out).hasSize(3);
    assertThat(e.late()).isEqualTo(1);
  }

  private static PhaseSignal constantSignal(String name, AttributeKey<Double> key, double v) {
    return new PhaseSignal() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long completeUntil() {
        return Long.MAX_VALUE;
      }

      @Override
      public void describe(Phase p, PhaseDescription d) {
        d.attribute(key, v);
      }
    };
  }
}
