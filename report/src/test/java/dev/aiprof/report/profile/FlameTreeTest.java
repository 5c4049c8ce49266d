package dev.aiprof.report.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlameTreeTest {
  static final String ALPHA =
      """
      main;run;crunch_alpha 48
      main;run;crunch_alpha;apic_timer_interrupt 2
      main;run;hash 6
      main;idle 4
      """;

  @Test
  void foldedLinesSumByStackAndBadLinesAreCounted() {
    Folded f = new Folded().add(ALPHA).add("main;idle 1\nnot a stack\nmain;x -3\n\n");
    assertThat(f.stacks()).hasSize(4);
    assertThat(f.stacks().get(List.of("main", "idle"))).isEqualTo(5);
    assertThat(f.total()).isEqualTo(61);
    assertThat(f.badLines()).isEqualTo(2);
  }

  @Test
  void aFrameNameMayHoldSpacesOnlyTheLastFieldIsTheValue() {
    Folded f = new Folded().add("java;Lfoo/Bar; run (inlined) 7\n");
    assertThat(f.stacks()).containsEntry(List.of("java", "Lfoo/Bar", " run (inlined)"), 7L);
  }

  @Test
  void totalsAreTheStacksThroughAFrameAndSelfTheStacksEndingThere() {
    FlameTree t = FlameTree.of(new Folded().add(ALPHA));
    assertThat(t.root().total()).isEqualTo(60);
    assertThat(t.nodes()).isEqualTo(7);
    FlameTree.Node run = t.find(List.of("main", "run"));
    assertThat(run.total()).isEqualTo(56);
    assertThat(run.self()).isZero();
    assertThat(run.children())
        .extracting(FlameTree.Node::name)
        .containsExactly("crunch_alpha", "hash");
    FlameTree.Node crunch = t.find(List.of("main", "run", "crunch_alpha"));
    assertThat(crunch.total()).isEqualTo(50);
    assertThat(crunch.self()).isEqualTo(48);
    assertThat(t.totalOf("crunch_alpha")).isEqualTo(50);
    assertThat(t.find(List.of("main", "nope"))).isNull();
  }

  @Test
  void recursionCountsAStackOnceInTotalOf() {
    FlameTree t = FlameTree.of(new Folded().add("main;f;f;f 3\nmain;f 1\nmain;g 2\n"));
    assertThat(t.totalOf("f")).isEqualTo(4);
  }

  @Test
  void theSameStacksInAnotherOrderGiveAnEqualTree() {
    String reversed = ALPHA.lines().toList().reversed().stream().reduce("", (a, b) -> a + b + "\n");
    assertThat(FlameTree.of(new Folded().add(reversed)))
        .isEqualTo(FlameTree.of(new Folded().add(ALPHA)));
  }

  @Test
  void pruningKeepsTheWidestNodesAndTheirParents() {
    FlameTree t = FlameTree.of(new Folded().add(ALPHA)).pruned(4);
    assertThat(t.nodes()).isEqualTo(4);
    assertThat(t.find(List.of("main", "run", "crunch_alpha"))).isNotNull();
    assertThat(t.find(List.of("main", "run", "hash"))).isNull();
    assertThat(t.find(List.of("main", "run")).total())
        .as("a cut child's share stays")
        .isEqualTo(56);
    FlameTree same = FlameTree.of(new Folded().add(ALPHA));
    assertThat(same.pruned(100)).isSameAs(same);
  }
}
