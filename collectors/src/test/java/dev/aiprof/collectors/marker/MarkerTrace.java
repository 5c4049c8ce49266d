package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a test program says it did: its lines {@code begin|end NAME tid=T mono=A..B [origin=O]}
 * (CLOCK_MONOTONIC read just before and after each call) paired per thread and origin into the
 * phases the agent must report, and the check that it did.
 */
final class MarkerTrace {
  /** A phase the program ran, with the windows its begin and end calls happened in. */
  record Expected(
      String name,
      int tid,
      int depth,
      PhaseOrigin origin,
      long beginBefore,
      long beginAfter,
      long endBefore,
      long endAfter) {}

  private static final Pattern CALL =
      Pattern.compile("(begin|end) (\\S+) tid=(\\d+) mono=(\\d+)\\.\\.(\\d+)(?: origin=(\\w+))?");
  private static final Pattern PID = Pattern.compile("pid=(\\d+).*");

  private MarkerTrace() {}

  static int pid(List<String> lines) {
    for (String l : lines) {
      Matcher m = PID.matcher(l);
      if (m.matches()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("no pid= line in " + lines);
  }

  /** The phases in the order each thread ended them. */
  static List<Expected> expected(List<String> lines) {
    Map<String, Deque<long[]>> open = new HashMap<>();
    Map<String, Deque<String>> names = new HashMap<>();
    List<Expected> out = new ArrayList<>();
    for (String l : lines) {
      Matcher m = CALL.matcher(l);
      if (!m.matches()) {
        continue;
      }
      int tid = Integer.parseInt(m.group(3));
      PhaseOrigin origin = "nvtx".equals(m.group(6)) ? PhaseOrigin.NVTX : PhaseOrigin.MARKER;
      String key = tid + "/" + origin;
      long before = Long.parseLong(m.group(4));
      long after = Long.parseLong(m.group(5));
      Deque<long[]> times = open.computeIfAbsent(key, k -> new ArrayDeque<>());
      Deque<String> n = names.computeIfAbsent(key, k -> new ArrayDeque<>());
      if (m.group(1).equals("begin")) {
        times.push(new long[] {before, after});
        n.push(m.group(2));
      } else {
        long[] b = times.pop();
        String name = n.pop();
        assertThat(m.group(2)).as("the program's own pairing").isEqualTo(name);
        out.add(new Expected(name, tid, times.size(), origin, b[0], b[1], before, after));
      }
    }
    return out;
  }

  /**
   * The reported phases of one process match the program's: same phases per thread, in the order
   * the thread ended them, with each kernel timestamp inside the program's readings around the
   * call.
   */
  static void assertMatches(int pid, List<Phase> actual, List<Expected> expected) {
    assertThat(actual).as("phases of pid %d", pid).hasSameSizeAs(expected);
    Map<Integer, List<Phase>> byTid = new HashMap<>();
    for (Phase p : actual) {
      assertThat(p.pid()).isEqualTo(pid);
      byTid.computeIfAbsent(p.tid(), t -> new ArrayList<>()).add(p);
    }
    Map<Integer, Integer> next = new HashMap<>();
    for (Expected e : expected) {
      int i = next.merge(e.tid(), 1, Integer::sum) - 1;
      List<Phase> ofThread = byTid.get(e.tid());
      assertThat(ofThread).as("phases of thread %d", e.tid()).isNotNull().hasSizeGreaterThan(i);
      Phase p = ofThread.get(i);
      assertThat(p.name()).as("name of %s", e).isEqualTo(e.name());
      assertThat(p.depth()).as("depth of %s", e).isEqualTo(e.depth());
      assertThat(p.origin()).as("origin of %s", e).isEqualTo(e.origin());
      assertThat(p.startNs()).as("start of %s", e).isBetween(e.beginBefore(), e.beginAfter());
      assertThat(p.endNs()).as("end of %s", e).isBetween(e.endBefore(), e.endAfter());
    }
  }
}
