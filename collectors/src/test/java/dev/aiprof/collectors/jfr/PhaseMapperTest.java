package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.consumer.EventStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapper on real JFR data: this JVM records itself with exactly the collector's settings (a GC
 * and a user phase on a named thread), and the recording file is read back.
 */
class PhaseMapperTest {
  @Name("aiprof.Phase")
  @Label("Phase")
  static final class PhaseEvent extends Event {
    @Label("Name")
    String name;
  }

  @Test
  void gcPausesSafepointsAndUserPhasesFromARealRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("self.jfr");
    AtomicLong tid = new AtomicLong();
    long[] bracket = new long[2];
    try (Recording r = new Recording()) {
      r.setSettings(JfrEvents.settings(Duration.ZERO));
      r.start();
      Thread t =
          Thread.ofPlatform()
              .name("mapper-step")
              .start(
                  () -> {
                    tid.set(ownTid());
                    PhaseEvent e = new PhaseEvent();
                    e.name = "step";
                    bracket[0] = epochNanos();
                    e.begin();
                    spin(3);
                    e.commit();
                    bracket[1] = epochNanos();
                  });
      t.join();
      System.gc();
      r.stop();
      r.dump(file);
    }
    ClockSync clock = new ClockSync();
    List<Phase> phases = new ArrayList<>();
    JfrCounters counters = new JfrCounters();
    int pid = (int) ProcessHandle.current().pid();
    JvmProcess self = JvmProcess.inspect(HostPaths.defaults(), pid);
    PhaseMapper m =
        new PhaseMapper(
            pid,
            clock,
            new ThreadIds(HostPaths.defaults(), self, System::nanoTime),
            Duration.ZERO,
            phases::add,
            counters);
    try (EventStream s = EventStream.openFile(file)) {
      m.register(s);
      s.start();
    }

    Phase step = phases.stream().filter(p -> p.name().equals("step")).findFirst().orElseThrow();
    assertThat(step.pid()).isEqualTo(pid);
    assertThat(step.tid()).isEqualTo(tid.get());
    assertThat(step.attributes().get(JfrAttributes.THREAD_NAME)).isEqualTo("mapper-step");
    assertThat(step.startNs())
        .isBetween(clock.toMonotonic(bracket[0]), clock.toMonotonic(bracket[1]));
    assertThat(step.endNs())
        .isBetween(step.startNs() + 3_000_000, clock.toMonotonic(bracket[1]) + 1_000_000);

    Phase gc =
        phases.stream()
            .filter(p -> "System.gc()".equals(p.attributes().get(JfrAttributes.GC_CAUSE)))
            .findFirst()
            .orElseThrow();
    assertThat(gc.processWide()).isTrue();
    assertThat(gc.name()).startsWith("GC pause: " + gc.attributes().get(JfrAttributes.GC_NAME));
    assertThat(phases)
        .anySatisfy(
            p -> {
              assertThat(p.attributes().get(JfrAttributes.KIND)).isEqualTo("safepoint");
              assertThat(p.startNs()).isLessThanOrEqualTo(gc.startNs());
              assertThat(p.endNs()).isGreaterThanOrEqualTo(gc.endNs());
            });
    assertThat(counters.phases(PhaseKind.USER)).isEqualTo(1);
    assertThat(counters.dropped(JfrCounters.Drop.MALFORMED)).isZero();
  }

  private static int ownTid() {
    try {
      return Integer.parseInt(
          Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void spin(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
