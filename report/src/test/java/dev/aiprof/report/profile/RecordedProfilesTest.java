package dev.aiprof.report.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Folding and diffs on two real recorded runs of the profiler's fixture ({@code profile_phases},
 * three rounds at 99 Hz each, written by the profile collector: report/src/test/resources/
 * dev/aiprof/report/profiles/run1 and run2): phase alpha is {@code crunch_alpha}, beta {@code
 * crunch_beta}, wait a sleep off the CPU; alpha against beta swaps the two, run against run leaves
 * them.
 */
class RecordedProfilesTest {
  static Profiles run(String name) throws Exception {
    return Profiles.readAll(
        Path.of(
            RecordedProfilesTest.class.getResource("/dev/aiprof/report/profiles/" + name).toURI()));
  }

  static FlameTree tree(Profiles p, String kind, String phase) {
    Profiles.Profile x = p.find(kind, phase);
    assertThat(x).as("%s %s in %s", kind, phase, p.profiles()).isNotNull();
    return FlameTree.of(x.stacks());
  }

  /** The self value of every node named {@code name}. */
  static long self(FlameTree.Node n, String name) {
    long s = n.name().equals(name) ? n.self() : 0;
    for (FlameTree.Node c : n.children()) {
      s += self(c, name);
    }
    return s;
  }

  @Test
  void eachPhasesGraphIsItsFunction() throws Exception {
    Profiles p = run("run1");
    assertThat(p.windows()).isEqualTo(1);
    FlameTree alpha = tree(p, Profiles.ON_CPU, "alpha");
    FlameTree beta = tree(p, Profiles.ON_CPU, "beta");
    long a = alpha.root().total();
    assertThat(a).isEqualTo(p.find(Profiles.ON_CPU, "alpha").stacks().total()).isGreaterThan(20);
    assertThat((double) self(alpha.root(), "crunch_alpha") / a).isGreaterThanOrEqualTo(0.8);
    assertThat(alpha.totalOf("crunch_beta")).isZero();
    assertThat((double) self(beta.root(), "crunch_beta") / beta.root().total())
        .isGreaterThanOrEqualTo(0.8);
    assertThat(alpha.totalOf("body")).as("the thread's stacks pass body").isGreaterThan(a * 9 / 10);
    FlameTree window = tree(p, Profiles.ON_CPU, null);
    assertThat(window.root().children())
        .extracting(FlameTree.Node::name)
        .containsExactly("profile_phases");
    assertThat(window.totalOf("crunch_alpha") + window.totalOf("crunch_beta"))
        .as("the window: both functions, under the process's name")
        .isGreaterThan(window.root().total() * 9 / 10);
    FlameTree wait = tree(p, Profiles.OFF_CPU, "wait");
    assertThat(p.find(Profiles.OFF_CPU, "wait").unit()).isEqualTo("us");
    assertThat(wait.root().total()).as("3 sleeps of 40 ms, in µs").isBetween(110_000L, 200_000L);
    assertThat(wait.totalOf("do_nanosleep")).isGreaterThan(wait.root().total() / 2);
  }

  @Test
  void alphaAgainstBetaSwapsTheirFunctionsAndRunAgainstRunLeavesThem() throws Exception {
    Profiles one = run("run1");
    FlameDiff phases =
        FlameDiff.of(tree(one, Profiles.ON_CPU, "beta"), tree(one, Profiles.ON_CPU, "alpha"));
    assertThat(phases.deltaOf("crunch_alpha")).isGreaterThan(0.8);
    assertThat(phases.deltaOf("crunch_beta")).isLessThan(-0.8);
    assertThat(phases.deltaOf("body"))
        .as("both phases' stacks all pass body")
        .isCloseTo(0, within(1e-9));
    FlameDiff runs =
        FlameDiff.of(
            tree(run("run2"), Profiles.ON_CPU, "alpha"), tree(one, Profiles.ON_CPU, "alpha"));
    assertThat(runs.deltaOf("crunch_alpha")).isBetween(-0.15, 0.15);
    assertThat(runs.nodes()).isGreaterThanOrEqualTo(tree(one, Profiles.ON_CPU, "alpha").nodes());
    double sum = 0;
    for (FlameDiff.Node c : runs.root().children()) {
      sum += runs.delta(c);
    }
    assertThat(sum)
        .as("the changes of the root's children add up to none")
        .isCloseTo(0, within(1e-9));
  }
}
