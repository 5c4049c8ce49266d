package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafepointsTest {
  private final List<Phase> out = new ArrayList<>();
  private final JfrCounters counters = new JfrCounters();
  private final Safepoints sp = new Safepoints(77, 10, 1_000, out::add, counters);

  @Test
  void beginOperationAndEndMakeOneProcessWidePhase() {
    sp.begin(3, 100);
    sp.operation(3, "G1CollectForAllocation");
    sp.end(3, 250);
    assertThat(out)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("safepoint: G1CollectForAllocation");
              assertThat(p.processWide()).isTrue();
              assertThat(p.startNs()).isEqualTo(100);
              assertThat(p.endNs()).isEqualTo(250);
              assertThat(p.attributes().get(JfrAttributes.KIND)).isEqualTo("safepoint");
              assertThat(p.attributes().get(JfrAttributes.VM_OPERATION))
                  .isEqualTo("G1CollectForAllocation");
              assertThat(p.attributes().get(JfrAttributes.SAFEPOINT_ID)).isEqualTo(3L);
            });
    assertThat(sp.waiting()).isZero();
  }

  @Test
  void withoutAnOperationItIsJustASafepoint() {
    sp.begin(4, 0);
    sp.end(4, 100);
    assertThat(out).extracting(Phase::name).containsExactly("safepoint");
  }

  @Test
  void shorterThanTheMinimumIsNotReported() {
    sp.begin(5, 0);
    sp.end(5, 9);
    assertThat(out).isEmpty();
    assertThat(counters.dropped(JfrCounters.Drop.UNPAIRED)).isZero();
  }

  @Test
  void unpairedEndsAndStaleBeginsAreCounted() {
    sp.end(6, 100);
    sp.begin(7, 0);
    sp.expire(1_000);
    assertThat(sp.waiting()).isEqualTo(1);
    sp.expire(1_001);
    assertThat(sp.waiting()).isZero();
    assertThat(out).isEmpty();
    assertThat(counters.dropped(JfrCounters.Drop.UNPAIRED)).isEqualTo(2);
  }

  @Test
  void waitingBeginsAreBounded() {
    for (int id = 0; id <= Safepoints.CAPACITY; id++) {
      sp.begin(id, id);
    }
    assertThat(sp.waiting()).isEqualTo(Safepoints.CAPACITY);
    assertThat(counters.dropped(JfrCounters.Drop.UNPAIRED)).isEqualTo(1);
  }
}
