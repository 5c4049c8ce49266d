package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.agent.identity.Capabilities.Cap;
import dev.aiprof.agent.privilege.CapDropLibrary.State;
import dev.aiprof.agent.privilege.CapDropLibrary.ThreadAnswer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure parts of the process-wide drop: status parsing, the sets, holdouts, the log line. */
class CapabilityDropTest {
  private static final long ADMIN_PTRACE = (1L << 21) | (1L << 19);

  private static String status(String inh, String prm, String eff, String bnd, String amb) {
    return "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t855\nPid:\t861\n"
        + "CapInh:\t"
        + inh
        + "\nCapPrm:\t"
        + prm
        + "\nCapEff:\t"
        + eff
        + "\nCapBnd:\t"
        + bnd
        + "\nCapAmb:\t"
        + amb
        + "\nNoNewPrivs:\t0\nSeccomp:\t0\n";
  }

  private static final String ROOT =
      status(
          "0000000000000000",
          "000001fffeffffff",
          "000001fffeffffff",
          "000001fffeffffff",
          "0000000000000000");
  private static final String DROPPED =
      status(
          "0000000000000000",
          "0000000000280000",
          "0000000000280000",
          "0000000000280000",
          "0000000000000000");

  @Test
  void parsesTheFiveSetsOfAStatusFile() {
    TaskCaps c = TaskCaps.parse(ROOT);
    assertThat(c.effective()).isEqualTo(0x1fffeffffffL);
    assertThat(c.permitted()).isEqualTo(0x1fffeffffffL);
    assertThat(c.inheritable()).isZero();
    assertThat(c.ambient()).isZero();
    assertThat(TaskCaps.parse(DROPPED).bounding()).isEqualTo(ADMIN_PTRACE);
    assertThat(TaskCaps.parse(status("0", "0", "ffffffffffffffff", "0", "0")).effective())
        .isEqualTo(-1L);
  }

  @Test
  void rejectsAStatusWithoutEveryCapLineOrWithABadMask() {
    assertThatThrownBy(() -> TaskCaps.parse("Name:\tjava\nCapEff:\t0\n"))
        .hasMessageContaining("five Cap lines");
    assertThatThrownBy(() -> TaskCaps.parse(status("0", "0", "xyz", "0", "0")))
        .hasMessageContaining("CapEff: is not a 64-bit hex mask: 'xyz'");
    assertThatThrownBy(() -> TaskCaps.parse(status("0", "0", "10000000000000000", "0", "0")))
        .hasMessageContaining("CapEff:");
  }

  @Test
  void aThreadExceedsWhatIsKeptInAnySetButTheBoundingSet() {
    assertThat(TaskCaps.parse(DROPPED).exceeds(ADMIN_PTRACE)).isFalse();
    assertThat(TaskCaps.parse(DROPPED).exceeds(1L << 21)).isTrue();
    assertThat(TaskCaps.parse(ROOT).exceeds(ADMIN_PTRACE)).isTrue();
    assertThat(new TaskCaps(1L << 5, 0, 0, 0, 0).exceeds(0)).as("inheritable").isTrue();
    assertThat(new TaskCaps(0, 0, 0, 0, 1L << 5).exceeds(0)).as("ambient").isTrue();
    assertThat(new TaskCaps(0, 0, 0, -1L, 0).exceeds(0)).as("bounding only").isFalse();
  }

  @Test
  void theRunTimeSetIsWhatCollectorsUseAfterStartUp() {
    assertThat(CapabilityDrop.needs(Set.of("sched", "otlp"), true)).isEmpty();
    assertThat(CapabilityDrop.needs(Set.of("sched", "otlp"), false))
        .containsExactlyInAnyOrder(Cap.CAP_BPF, Cap.CAP_PERFMON);
    assertThat(CapabilityDrop.needs(Set.of("sched", "marker"), true))
        .containsExactlyInAnyOrder(Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE);
    assertThat(CapabilityDrop.needs(Set.of("jfr"), true))
        .containsExactlyInAnyOrder(Cap.CAP_SYS_PTRACE, Cap.CAP_KILL, Cap.CAP_DAC_OVERRIDE);
    assertThat(CapabilityDrop.mask(EnumSet.of(Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE)))
        .isEqualTo(ADMIN_PTRACE);
  }

  private static Tasks.Task task(int tid, String name, String status) {
    return new Tasks.Task(tid, name, TaskCaps.parse(status));
  }

  @Test
  void everyThreadThatStillHoldsMoreIsAHoldoutWithWhatTheLibrarySaid() {
    List<Tasks.Task> tasks =
        List.of(
            task(10, "java", DROPPED),
            task(11, "C2 CompilerThre", ROOT),
            task(12, "GC Thread#0", ROOT),
            task(13, "aiprof-late", ROOT),
            task(14, "VM Thread", ROOT));
    var answer =
        new CapDropLibrary.Answer(
            38,
            List.of(
                new ThreadAnswer(10, State.DROPPED, 0),
                new ThreadAnswer(11, State.NO_ANSWER, 0),
                new ThreadAnswer(12, State.FAILED, 1),
                new ThreadAnswer(14, State.NOT_SENT, 11)));
    assertThat(CapabilityDrop.holdouts(tasks, answer, ADMIN_PTRACE, null))
        .extracting(CapabilityDrop.Holdout::toString)
        .containsExactly(
            "'C2 CompilerThre' (tid 11: no answer within 5 s (signal blocked, or stuck in the"
                + " kernel))",
            "'GC Thread#0' (tid 12: its drop failed: EPERM (operation not permitted))",
            "'aiprof-late' (tid 13: not signalled: started after the last look at"
                + " /proc/self/task, by a thread that had not dropped, or beyond 4096 threads)",
            "'VM Thread' (tid 14: the signal could not be sent: EAGAIN (resource temporarily"
                + " unavailable))");
    assertThat(CapabilityDrop.holdouts(tasks, null, ADMIN_PTRACE, "libaiprofcap.so not found"))
        .hasSize(4)
        .allMatch(h -> h.why().equals("no process-wide drop: libaiprofcap.so not found"));
  }

  @Test
  void theLogLineSaysWhatIsKeptWhyAndOnHowManyThreads() {
    Set<String> collectors = Set.of("sched", "marker");
    var all =
        new CapabilityDrop.Result(
            EnumSet.of(Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE), 38, 35, 38, List.of(), null);
    assertThat(CapabilityDrop.describe(all, collectors, 38))
        .isEqualTo(
            "capabilities after attach: kept CAP_SYS_ADMIN (marker: uprobes on libraries found"
                + " after start); CAP_SYS_PTRACE (marker: library scans and JVM discovery go on);"
                + " dropped the 38 others held on every one of the 35 threads (JVM threads"
                + " included; threads started later inherit the kept set)");
    var one =
        new CapabilityDrop.Result(
            Set.of(),
            40,
            35,
            38,
            List.of(new CapabilityDrop.Holdout(11, "C2 CompilerThre", "no answer within 5 s")),
            null);
    assertThat(CapabilityDrop.describe(one, Set.of("sched"), 40))
        .isEqualTo(
            "capabilities after attach: kept none; dropped the 40 others held on 34 of 35 threads;"
                + " 1 thread keeps more: 'C2 CompilerThre' (tid 11: no answer within 5 s)");
  }

  @Test
  void theLogLineNamesAtMostSixteenHoldoutsAndSaysWhyThereWasNoProcessWideDrop() {
    List<CapabilityDrop.Holdout> many =
        java.util.stream.IntStream.range(0, 20)
            .mapToObj(i -> new CapabilityDrop.Holdout(100 + i, "t" + i, "no process-wide drop"))
            .toList();
    var r = new CapabilityDrop.Result(Set.of(), 40, 21, 0, many, "libaiprofcap.so not found");
    String line = CapabilityDrop.describe(r, Set.of("sched"), 40);
    assertThat(line)
        .contains("on 1 of 21 threads (process-wide drop unavailable: libaiprofcap.so not found)")
        .contains("20 threads keep more: 't0' (tid 100")
        .contains("'t15' (tid 115")
        .doesNotContain("'t16'")
        .endsWith(" and 4 more");
  }

  @Test
  void theLibraryStatesDecodeAsTheHeaderNumbersThem() {
    assertThat(State.of(0)).isEqualTo(State.PENDING);
    assertThat(State.of(1)).isEqualTo(State.DROPPED);
    assertThat(State.of(4)).isEqualTo(State.NO_ANSWER);
    assertThat(State.of(5)).isEqualTo(State.NOT_SENT);
    assertThatThrownBy(() -> State.of(6)).hasMessageContaining("state 6");
  }

  @Test
  void aRunningBpftraceKeepsWhatARestartedOneAttachesWith() {
    // the bounding set shrinks after attach: a restarted bpftrace has only what is kept
    assertThat(CapabilityDrop.needs(Set.of("bpftrace"), true))
        .containsExactlyInAnyOrder(
            Cap.CAP_BPF, Cap.CAP_PERFMON, Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE);
  }
}
