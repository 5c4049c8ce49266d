package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.phase.ClockSync;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.FollowRecorder;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Shared helpers of the JFR collector's integration tests. */
final class JfrTesting {
  static final Duration ATTACH = Duration.ofSeconds(60);
  static final Duration ARRIVAL = Duration.ofSeconds(30);
  static final long TOLERANCE_NS = 5_000_000;

  private JfrTesting() {}

  /**
   * The JFR collector running in the agent's pipeline with {@code settings}, over {@code paths},
   * converting with {@code clock}; {@code phases} taps its phases, and a {@link FollowRecorder}
   * follows what the follow service is asked to follow.
   */
  static TestPipeline start(
      HostPaths paths, Map<String, String> settings, PhaseListener phases, ClockSync clock) {
    return TestPipeline.start(
        Set.of(JfrProvider.NAME, FollowRecorder.NAME), settings, phases, paths, clock);
  }

  /** The running JFR collector of {@code p}. */
  static JfrCollector jfr(TestPipeline p) {
    return p.collector(JfrProvider.NAME, JfrCollector.class);
  }

  /** The processes the follow service followed in {@code p}, and let go since. */
  static Set<Integer> followedEver(TestPipeline p) {
    FollowRecorder f = p.collector(FollowRecorder.NAME, FollowRecorder.class);
    Set<Integer> pids = new HashSet<>(f.pids());
    f.unfollowed().forEach(k -> pids.add(k.pid()));
    return pids;
  }

  /** Everything {@code p} reports now. */
  static RecordingSink metrics(TestPipeline p) {
    RecordingSink sink = new RecordingSink();
    p.pipeline().metrics().collect(sink);
    return sink;
  }

  /**
   * Asserts that {@code p} lies inside the workload's own clock readings taken just before begin()
   * and just after commit() (epoch ns), give or take 5 ms, and lasts at least {@code busyMs}: so
   * its start and end are each within 5 ms plus the bracket's slack (normally microseconds) of the
   * workload's readings.
   */
  static void assertBracketed(Phase p, ClockSync clock, String[] answer, long busyMs) {
    long begin = clock.toMonotonic(Long.parseLong(answer[3]));
    long end = clock.toMonotonic(Long.parseLong(answer[4]));
    String why =
        "%s: JFR %d..%d vs workload %d..%d (JFR converts ticks to wall time with one pair of"
            + " readings per chunk)";
    assertThat(p.startNs())
        .as(why, p.name(), p.startNs(), p.endNs(), begin, end)
        .isGreaterThanOrEqualTo(begin - TOLERANCE_NS);
    assertThat(p.endNs())
        .as(why, p.name(), p.startNs(), p.endNs(), begin, end)
        .isLessThanOrEqualTo(end + TOLERANCE_NS);
    assertThat(p.durationNs()).isGreaterThanOrEqualTo(busyMs * 1_000_000);
  }

  /** Sends {@code command} and returns the first answer line starting with {@code prefix}. */
  static String ask(Workload w, String command, String prefix) {
    w.send(command);
    String line;
    while ((line = w.readLine()) != null) {
      if (line.startsWith(prefix)) {
        return line;
      }
      System.err.println("workload " + w.pid() + ": " + line);
    }
    throw new AssertionError("workload " + w.pid() + " ended before answering " + command);
  }

  /** Polls until the collector reports {@code state} for {@code pid}. */
  static JvmStatus awaitState(JfrCollector c, long pid, JvmStatus.State state, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JvmStatus s = null;
    while (System.nanoTime() < deadline) {
      s = c.statuses().get((int) pid);
      if (s != null && s.state() == state) {
        return s;
      }
      if (s != null && s.state() == JvmStatus.State.FAILED && state != JvmStatus.State.FAILED) {
        break;
      }
      Thread.sleep(50); // poll
    }
    assertThat(s).as("status of pid " + pid).isNotNull();
    assertThat(s.state()).as("state of pid " + pid + ": " + s).isEqualTo(state);
    return s;
  }

  /** {@code jcmd PID JFR.check}: the target's recordings as it reports them. */
  static String recordings(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JFR.check")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("jcmd JFR.check: " + out).isZero();
    return out;
  }
}
