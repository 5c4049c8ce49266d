package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseStacksTest {
  private static final PhaseOrigin M = PhaseOrigin.MARKER;
  private static final PhaseOrigin N = PhaseOrigin.NVTX;

  @Test
  void nestedPhasesEndInnermostFirstWithTheirDepth() {
    PhaseStacks s = new PhaseStacks(10, 8);
    s.begin(1, 11, M, "epoch", 100);
    s.begin(1, 11, M, "step", 110);
    Phase step = s.end(1, 11, M, 150);
    Phase epoch = s.end(1, 11, M, 200);
    assertThat(step)
        .usingRecursiveComparison()
        .ignoringFields("ids")
        .isEqualTo(
            new Phase(
                "step",
                M,
                1,
                11,
                110,
                150,
                1,
                io.opentelemetry.api.common.Attributes.empty(),
                null));
    assertThat(epoch.name()).isEqualTo("epoch");
    assertThat(epoch.depth()).isZero();
    assertThat(epoch.durationNs()).isEqualTo(100);
  }

  @Test
  void aNestedPhaseIsAChildSpanOfThePhaseAroundIt() {
    PhaseStacks s = new PhaseStacks(10, 8);
    s.begin(1, 11, M, "epoch", 100);
    s.begin(1, 11, M, "step", 110);
    s.begin(1, 11, M, "forward", 120);
    Phase forward = s.end(1, 11, M, 130);
    Phase step = s.end(1, 11, M, 150);
    s.begin(1, 11, M, "step", 160);
    Phase step2 = s.end(1, 11, M, 170);
    Phase epoch = s.end(1, 11, M, 200);
    s.begin(1, 11, M, "epoch", 210);
    Phase epoch2 = s.end(1, 11, M, 220);
    assertThat(epoch.ids().parentSpanId()).as("a root phase starts a trace").isEmpty();
    assertThat(step.ids().parentSpanId()).isEqualTo(epoch.ids().spanId());
    assertThat(step2.ids().parentSpanId()).isEqualTo(epoch.ids().spanId());
    assertThat(forward.ids().parentSpanId()).isEqualTo(step.ids().spanId());
    assertThat(List.of(step, step2, forward))
        .allSatisfy(p -> assertThat(p.ids().traceId()).isEqualTo(epoch.ids().traceId()));
    assertThat(step2.ids().spanId()).isNotEqualTo(step.ids().spanId());
    assertThat(epoch2.ids().traceId())
        .as("the next root: a new trace")
        .isNotEqualTo(epoch.ids().traceId());
    s.begin(1, 12, M, "other thread", 300);
    assertThat(s.end(1, 12, M, 310).ids().parentSpanId()).isEmpty();
  }

  @Test
  void threadsAndOriginsHaveStacksOfTheirOwn() {
    PhaseStacks s = new PhaseStacks(10, 8);
    s.begin(1, 11, M, "a", 1);
    s.begin(1, 12, M, "b", 2);
    s.begin(1, 11, N, "nvtx", 3);
    assertThat(s.end(1, 11, M, 4).name()).isEqualTo("a");
    assertThat(s.end(1, 11, N, 5)).extracting(Phase::name, Phase::depth).containsExactly("nvtx", 0);
    assertThat(s.end(1, 12, M, 6).tid()).isEqualTo(12);
  }

  @Test
  void anEndWithoutABeginIsCounted() {
    PhaseStacks s = new PhaseStacks(10, 8);
    assertThat(s.end(1, 11, M, 5)).isNull();
    s.begin(1, 11, N, "nvtx", 6);
    assertThat(s.end(1, 11, M, 7)).isNull();
    assertThat(s.losses().unmatchedEnds()).isEqualTo(2);
  }

  @Test
  void phasesBeyondTheDepthLimitAreCountedAndTheirEndsStillMatch() {
    PhaseStacks s = new PhaseStacks(10, 2);
    s.begin(1, 11, M, "d0", 1);
    s.begin(1, 11, M, "d1", 2);
    s.begin(1, 11, M, "d2", 3);
    s.begin(1, 11, M, "d3", 4);
    assertThat(s.end(1, 11, M, 5)).isNull();
    assertThat(s.end(1, 11, M, 6)).isNull();
    assertThat(s.end(1, 11, M, 7).name()).isEqualTo("d1");
    assertThat(s.end(1, 11, M, 8).name()).isEqualTo("d0");
    assertThat(s.losses().tooDeep()).isEqualTo(2);
    assertThat(s.losses().unmatchedEnds()).isZero();
  }

  @Test
  void deepStacksGrow() {
    PhaseStacks s = new PhaseStacks(10, 64);
    for (int i = 0; i < 40; i++) {
      s.begin(1, 11, M, "d" + i, i);
    }
    for (int i = 39; i >= 0; i--) {
      assertThat(s.end(1, 11, M, 100 + i))
          .extracting(Phase::name, Phase::depth)
          .containsExactly("d" + i, i);
    }
  }

  @Test
  void threadsBeyondTheLimitAreCounted() {
    PhaseStacks s = new PhaseStacks(2, 8);
    s.begin(1, 11, M, "a", 1);
    s.begin(1, 12, M, "b", 1);
    s.begin(1, 13, M, "c", 1);
    assertThat(s.losses().threadsFull()).isEqualTo(1);
    assertThat(s.threads()).hasSize(2);
  }

  @Test
  void forgettingAThreadAbandonsItsOpenPhases() {
    PhaseStacks s = new PhaseStacks(10, 8);
    s.begin(1, 11, M, "a", 1);
    s.begin(1, 11, N, "b", 2);
    s.forget(11);
    assertThat(s.losses().abandoned()).isEqualTo(2);
    assertThat(s.threads()).isEmpty();
    assertThat(s.end(1, 11, M, 3)).isNull();
  }

  @Test
  void aTidReusedByAnotherProcessStartsAfresh() {
    PhaseStacks s = new PhaseStacks(10, 8);
    s.begin(1, 11, M, "old", 1);
    s.begin(2, 11, M, "new", 2);
    assertThat(s.losses().abandoned()).isEqualTo(1);
    Phase p = s.end(2, 11, M, 3);
    assertThat(p.pid()).isEqualTo(2);
    assertThat(p.name()).isEqualTo("new");
    assertThat(p.depth()).isZero();
  }
}
