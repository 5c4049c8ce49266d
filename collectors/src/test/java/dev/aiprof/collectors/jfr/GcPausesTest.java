package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GcPausesTest {
  private final List<Phase> out = new ArrayList<>();
  private final GcPauses gc = new GcPauses(77, 1_000, out::add);

  @Test
  void aPauseIsNamedAfterItsCollectionWhenThatArrives() {
    gc.pause(5, "GC Pause", 100, 300);
    assertThat(out).isEmpty();
    gc.collection(5, "G1New", "G1 Evacuation Pause");
    assertThat(out)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("GC pause: G1New");
              assertThat(p.origin()).isEqualTo(PhaseOrigin.JFR);
              assertThat(p.pid()).isEqualTo(77);
              assertThat(p.processWide()).isTrue();
              assertThat(p.startNs()).isEqualTo(100);
              assertThat(p.endNs()).isEqualTo(300);
              assertThat(p.attributes().get(JfrAttributes.KIND)).isEqualTo("gc");
              assertThat(p.attributes().get(JfrAttributes.GC_NAME)).isEqualTo("G1New");
              assertThat(p.attributes().get(JfrAttributes.GC_CAUSE))
                  .isEqualTo("G1 Evacuation Pause");
              assertThat(p.attributes().get(JfrAttributes.GC_ID)).isEqualTo(5L);
            });
  }

  @Test
  void aPauseAfterItsCollectionIsReportedAtOnceWithItsOwnName() {
    gc.collection(6, "G1Old", "G1 Periodic Collection");
    gc.pause(6, "Pause Remark", 10, 20);
    assertThat(out).extracting(Phase::name).containsExactly("GC pause: G1Old Pause Remark");
  }

  @Test
  void aPauseWhoseCollectionNeverComesIsReportedUnnamedAfterThePatience() {
    gc.pause(7, "Pause Cleanup", 0, 100);
    gc.pause(8, "GC Pause", 50, 150);
    gc.expire(1_100);
    assertThat(out).isEmpty();
    gc.expire(1_101);
    assertThat(out).extracting(Phase::name).containsExactly("GC pause: Pause Cleanup");
    assertThat(gc.waiting()).isEqualTo(1);
    gc.expire(1_151);
    assertThat(out).extracting(Phase::name).endsWith("GC pause");
    assertThat(gc.waiting()).isZero();
  }

  @Test
  void waitingPausesAreBounded() {
    for (int id = 0; id <= GcPauses.CAPACITY; id++) {
      gc.pause(id, "GC Pause", id, id + 1);
    }
    assertThat(gc.waiting()).isEqualTo(GcPauses.CAPACITY);
    assertThat(out)
        .singleElement()
        .satisfies(p -> assertThat(p.attributes().get(JfrAttributes.GC_ID)).isZero());
  }
}
