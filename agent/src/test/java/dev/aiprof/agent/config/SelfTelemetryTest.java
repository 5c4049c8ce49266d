package dev.aiprof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The JVM's own CPU, heap and GC pauses from a JFR recording stream, compared with the JVM's
 * MXBeans.
 */
class SelfTelemetryTest {
  @Test
  void reportsCpuHeapAndGcPausesOfThisJvm() throws Exception {
    Thread spin =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                  }
                });
    try (SelfTelemetry t = SelfTelemetry.start(Duration.ofSeconds(1))) {
      long gcs = gcCount();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Recorded r = Recorded.of(t);
      while ((!r.values.containsKey(SelfTelemetry.HEAP_USED.name() + "{}")
              || !r.values.containsKey(SelfTelemetry.CPU_LOAD.name() + "{}")
              || r.get(SelfTelemetry.GC_PAUSES) == 0)
          && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(100);
        r = Recorded.of(t);
      }
      assertThat(gcCount()).as("System.gc() ran collections").isGreaterThan(gcs);
      assertThat(r.get(SelfTelemetry.GC_PAUSES)).isGreaterThan(0);
      assertThat(r.get(SelfTelemetry.GC_PAUSE)).isGreaterThan(0).isLessThan(20);
      long max = Runtime.getRuntime().maxMemory();
      assertThat(r.get(SelfTelemetry.HEAP_USED)).isGreaterThan(0).isLessThan(max);
      assertThat(r.get(SelfTelemetry.HEAP_COMMITTED))
          .isGreaterThanOrEqualTo(r.get(SelfTelemetry.HEAP_USED));
      assertThat(r.get(SelfTelemetry.CPU_LOAD))
          .as("a thread spins")
          .isGreaterThan(0)
          .isLessThanOrEqualTo(1);
      double cpu = r.get(SelfTelemetry.CPU_TIME);
      double os =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              / 1e9;
      assertThat(cpu).isGreaterThan(0).isLessThanOrEqualTo(os);
    } finally {
      spin.interrupt();
    }
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(g -> Math.max(0, g.getCollectionCount()))
        .sum();
  }
}
