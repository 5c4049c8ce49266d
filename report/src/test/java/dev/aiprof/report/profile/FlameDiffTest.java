package dev.aiprof.report.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlameDiffTest {
  static final String BETA =
      """
      main;run;crunch_beta 90
      main;run;hash 6
      main;idle 4
      """;

  private static FlameDiff diff(String a, String b) {
    return FlameDiff.of(FlameTree.of(new Folded().add(a)), FlameTree.of(new Folded().add(b)));
  }

  private static FlameDiff.Node at(FlameDiff d, String... path) {
    FlameDiff.Node n = d.root();
    for (String f : path) {
      n = n.children().stream().filter(c -> c.name().equals(f)).findFirst().orElseThrow();
    }
    return n;
  }

  @Test
  void sharesNotValuesAreCompared() {
    FlameDiff d = diff(FlameTreeTest.ALPHA, BETA); // 60 samples against 100
    assertThat(d.totalA()).isEqualTo(60);
    assertThat(d.totalB()).isEqualTo(100);
    FlameDiff.Node hash = at(d, "main", "run", "hash");
    assertThat(hash.a()).isEqualTo(6);
    assertThat(hash.b()).isEqualTo(6);
    assertThat(d.delta(hash)).isCloseTo(0.06 - 0.10, within(1e-12));
    assertThat(d.delta(d.root())).isZero();
    assertThat(d.delta(at(d, "main"))).isZero();
  }

  @Test
  void aFrameOnlyOneSideHasIsZeroOnTheOther() {
    FlameDiff d = diff(FlameTreeTest.ALPHA, BETA);
    FlameDiff.Node alpha = at(d, "main", "run", "crunch_alpha");
    FlameDiff.Node beta = at(d, "main", "run", "crunch_beta");
    assertThat(alpha.b()).isZero();
    assertThat(d.delta(alpha)).isCloseTo(-50 / 60.0, within(1e-12));
    assertThat(beta.a()).isZero();
    assertThat(d.delta(beta)).isCloseTo(0.9, within(1e-12));
    assertThat(at(d, "main", "run").children())
        .extracting(FlameDiff.Node::name)
        .containsExactly("crunch_alpha", "crunch_beta", "hash");
    assertThat(d.deltaOf("crunch_beta")).isCloseTo(0.9, within(1e-12));
    assertThat(d.nodes()).isEqualTo(8);
  }

  @Test
  void swappingTheSidesNegatesEveryChange() {
    FlameDiff ab = diff(FlameTreeTest.ALPHA, BETA);
    FlameDiff ba = diff(BETA, FlameTreeTest.ALPHA);
    for (List<String> p :
        List.of(
            List.of("main"),
            List.of("main", "idle"),
            List.of("main", "run", "hash"),
            List.of("main", "run", "crunch_alpha"))) {
      String[] path = p.toArray(String[]::new);
      assertThat(ba.delta(at(ba, path))).isCloseTo(-ab.delta(at(ab, path)), within(1e-12));
    }
  }

  @Test
  void anEmptySideHasNoShare() {
    FlameDiff d = diff("", BETA);
    assertThat(d.totalA()).isZero();
    assertThat(d.delta(at(d, "main", "run", "crunch_beta"))).isCloseTo(0.9, within(1e-12));
  }

  @Test
  void pruningKeepsTheWidestOnEitherSide() {
    FlameDiff d = diff(FlameTreeTest.ALPHA, BETA).pruned(4);
    assertThat(d.nodes()).isEqualTo(4);
    assertThat(at(d, "main", "run").children())
        .extracting(FlameDiff.Node::name)
        .containsExactly("crunch_beta");
  }
}
