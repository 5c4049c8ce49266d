package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.health.HealthCheck;
import dev.aiprof.exporters.LastExport;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.pipeline.CollectorStatus.State;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** /readyz: chosen probes running, exporters that failed recover within the window. */
class ReadinessTest {
  static CollectorStatus status(String name, State s, String detail) {
    return new CollectorStatus(name, Set.of(), s, detail);
  }

  static final List<CollectorStatus> HOST =
      List.of(
          status("sched", State.RUNNING, ""),
          status("nvml", State.FAILED, "no libnvidia-ml.so.1"),
          status("tick", State.DISABLED, ""));

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  private Readiness readiness(CollectorChoice choice, List<CollectorStatus> st, LastExport... e) {
    return new Readiness(() -> st, choice, () -> List.of(e), Duration.ofSeconds(60), now::get);
  }

  @Test
  void aCollectorThatCannotRunHereKeepsTheAgentReadyUnlessChosenByName() {
    Readiness byDefault = readiness(CollectorChoice.DEFAULTS, HOST);
    assertThat(byDefault.healthy()).isTrue();
    assertThat(byDefault.checks())
        .extracting(HealthCheck::name)
        .containsExactly("probe:sched", "probe:nvml", "probe:tick");
    assertThat(byDefault.checks().get(1).detail()).contains("no libnvidia-ml.so.1");
    Readiness chosen = readiness(CollectorChoice.only(Set.of("sched", "nvml")), HOST);
    assertThat(chosen.healthy()).isFalse();
    assertThat(chosen.checks())
        .filteredOn(c -> !c.ok())
        .singleElement()
        .isEqualTo(HealthCheck.fail("probe:nvml", "chosen but not running: no libnvidia-ml.so.1"));
    Readiness none =
        readiness(CollectorChoice.DEFAULTS, List.of(status("sched", State.FAILED, "no BTF")));
    assertThat(none.healthy()).isFalse();
    assertThat(none.checks()).extracting(HealthCheck::name).contains("probes");
  }

  @Test
  void anExporterIsReadyUntilItFailsAndAgainOnceItSucceeds() throws Exception {
    LastExport otlp = new LastExport("metrics/otlp");
    Readiness r =
        new Readiness(
            () -> HOST,
            CollectorChoice.DEFAULTS,
            () -> List.of(otlp),
            Duration.ofMillis(200),
            System::nanoTime);
    assertThat(r.healthy()).as("no export yet").isTrue();
    otlp.record(true);
    otlp.record(false);
    assertThat(r.healthy()).as("a success within the window").isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (r.healthy() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    HealthCheck c = r.checks().getLast();
    assertThat(c.ok()).isFalse();
    assertThat(c.name()).isEqualTo("exporter:metrics/otlp");
    assertThat(c.detail()).contains("last failed").contains("backend is running and reachable");
    otlp.record(true);
    assertThat(r.healthy()).isTrue();
    r.window(Duration.ofMinutes(5));
    otlp.record(false);
    assertThat(r.healthy()).as("the wider window after a reload").isTrue();
  }

  @Test
  void anExporterThatNeverSucceededIsNotReadyOnceItFails() {
    LastExport traces = new LastExport("traces");
    traces.record(false);
    Readiness r = readiness(CollectorChoice.DEFAULTS, HOST, traces);
    assertThat(r.checks().getLast())
        .extracting(HealthCheck::ok, HealthCheck::name)
        .containsExactly(false, "exporter:traces");
    assertThat(r.checks().getLast().detail()).contains("never succeeded");
  }
}
