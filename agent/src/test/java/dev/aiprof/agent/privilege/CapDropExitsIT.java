package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-wide drop of capdrop.c while threads exit under it ({@code src/test/native/
 * capdrop_exits.c}, built here with gcc against the library's source and run as root): a zombie
 * group leader, threads that are signalled but exit without answering (they block every signal),
 * and a thread started by one of those after the first enumeration. The leader and the exited
 * threads are GONE, none is NO_ANSWER, and the late thread was still signalled and dropped: a
 * thread that left without answering no longer ends the enumeration early.
 */
@Requires(root = true)
class CapDropExitsIT {
  private static final int DROPPED = CapDropLibrary.State.DROPPED.ordinal();
  private static final int GONE = CapDropLibrary.State.GONE.ordinal();

  @TempDir Path tmp;

  @Test
  void threadsThatExitAsTheyAreSignalledAreGoneAndLaterOnesStillDrop() throws Exception {
    Path exe = tmp.resolve("capdrop_exits");
    run(
        List.of(
            "gcc",
            "-O2",
            "-std=c11",
            "-pthread",
            "-Isrc/main/native",
            "-o",
            exe.toString(),
            "src/test/native/capdrop_exits.c",
            "src/main/native/capdrop.c"));
    String out = run(List.of(exe.toString()));
    Map<String, String> one = new HashMap<>();
    Map<Integer, Integer> states = new HashMap<>();
    List<Integer> blockers = new java.util.ArrayList<>();
    for (String l : out.lines().toList()) {
      String[] f = l.split(" ");
      switch (f[0]) {
        case "thread" -> states.put(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        case "blocker" -> blockers.add(Integer.parseInt(f[1]));
        default -> one.put(f[0], f[1]);
      }
    }
    assertThat(states.values())
        .as(out)
        .doesNotContain(CapDropLibrary.State.NO_ANSWER.ordinal())
        .doesNotContain(CapDropLibrary.State.FAILED.ordinal());
    assertThat(states.get(Integer.parseInt(one.get("leader"))))
        .as("zombie leader: " + out)
        .isEqualTo(GONE);
    assertThat(blockers).hasSize(4);
    for (int b : blockers) {
      assertThat(states.get(b)).as("exited unanswered: " + out).isEqualTo(GONE);
    }
    assertThat(states.get(Integer.parseInt(one.get("late")))).as("late: " + out).isEqualTo(DROPPED);
    assertThat(one.get("late_capeff")).as(out).isEqualTo("0000000000000000");
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(command + ": " + out).isZero();
    return out;
  }
}
