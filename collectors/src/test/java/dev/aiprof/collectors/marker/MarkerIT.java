package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.phase.LibraryId;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marker collector end to end: real programs (compiled by gcc now) load libaiprof.so, the
 * collector finds them in /proc, attaches uprobes and reports the phases their marker and NVTX
 * calls make. Each program prints its own CLOCK_MONOTONIC readings around every call; the reported
 * phases must match names, threads, nesting and order, with kernel timestamps inside those
 * readings.
 */
@Requires(
    root = true,
    tools = {"gcc", "make"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class MarkerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void nestedPhasesOnTwoThreadsMatchTheProgramsOwnClock() throws Exception {
    Path lib = MarkerBuild.library();
    Path exe = MarkerBuild.program("marker_threads");
    PhaseRecorder phases = new PhaseRecorder();
    try (RunningMarker m =
        RunningMarker.withFollowRecorder(phases, Map.of("marker.scan-interval", "10m"))) {
      MarkerCollector c = m.collector;
      assertThat(c.followsInKernel()).as("no scheduler collector").isFalse();
      try (Child p = Child.start(List.of(exe.toString()), Map.of())) {
        p.await("ready", TIMEOUT);
        assertThat(c.probe().attached()).doesNotContain(LibraryId.of(lib));
        c.scan();
        assertThat(c.probe().attached()).contains(LibraryId.of(lib));
        p.send("go");
        p.await("done", TIMEOUT);
        List<MarkerTrace.Expected> expected = MarkerTrace.expected(p.lines());
        assertThat(expected).hasSize(14);
        assertThat(expected).extracting(MarkerTrace.Expected::depth).contains(0, 1, 2);
        List<Phase> got = phases.await(p.pid(), expected.size(), TIMEOUT);
        MarkerTrace.assertMatches(p.pid(), got, expected);
        assertThat(got).extracting(Phase::tid).doesNotContain(p.pid()).containsOnly(tids(expected));
        assertThat(m.follows().followed(p.pid())).as("followed while it runs").isPresent();
        m.assertFollowedOnce(p.pid());
        p.send("exit");
        assertThat(p.waitFor(TIMEOUT)).isZero();
        m.awaitUnfollowed(p.pid(), TIMEOUT);
      }
      c.scan();
      assertThat(c.probe().attached())
          .as("detached once no process maps the library")
          .doesNotContain(LibraryId.of(lib));
      RecordingSink sink = m.metrics();
      assertThat(sink.of(MarkerMetrics.PHASES))
          .anySatisfy(
              x -> {
                assertThat(x.attributes().get(MarkerMetrics.ORIGIN)).isEqualTo("marker");
                assertThat(x.value()).isGreaterThanOrEqualTo(14);
              });
      assertThat(c.unmatchedEnds()).isZero();
    }
  }

  @Test
  @Requires(files = "/usr/local/cuda-13.0/include/nvtx3/nvToolsExt.h")
  void nvtxRangesThroughTheInjectionBecomeNvtxPhases() throws Exception {
    Path lib = MarkerBuild.library();
    Path exe = MarkerBuild.program("marker_nvtx", "-I/usr/local/cuda-13.0/include");
    PhaseRecorder phases = new PhaseRecorder();
    try (RunningMarker m = new RunningMarker(phases, Map.of("marker.scan-interval", "10m"))) {
      MarkerCollector c = m.collector;
      try (Child p =
          Child.start(List.of(exe.toString()), Map.of("NVTX_INJECTION64_PATH", lib.toString()))) {
        p.await("ready", TIMEOUT);
        c.scan();
        p.send("go");
        p.await("done", TIMEOUT);
        List<MarkerTrace.Expected> expected = MarkerTrace.expected(p.lines());
        List<Phase> got = phases.await(p.pid(), expected.size(), TIMEOUT);
        MarkerTrace.assertMatches(p.pid(), got, expected);
        assertThat(got)
            .extracting(Phase::name, Phase::origin, Phase::depth)
            .containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("train", PhaseOrigin.MARKER, 0),
                org.assertj.core.groups.Tuple.tuple("ascii", PhaseOrigin.NVTX, 0),
                org.assertj.core.groups.Tuple.tuple("wide-é", PhaseOrigin.NVTX, 1),
                org.assertj.core.groups.Tuple.tuple("ex", PhaseOrigin.NVTX, 2),
                org.assertj.core.groups.Tuple.tuple("registered", PhaseOrigin.NVTX, 3));
        p.send("exit");
        assertThat(p.waitFor(TIMEOUT)).isZero();
      }
    }
  }

  /**
   * A container's view: inside its own mount namespace the program maps a copy of the library on a
   * tmpfs mounted over the library's directory, so the path in its maps names a file the host path
   * does not reach. Attaching through /proc/PID/root finds the right file.
   */
  @Test
  @Requires(tools = "unshare")
  void aLibraryOnlyTheProcesssMountNamespaceSeesIsFoundThroughItsRoot(@TempDir Path tmp)
      throws Exception {
    Path lib = MarkerBuild.library();
    Path exe = MarkerBuild.program("marker_threads");
    Path copy = Files.copy(lib, tmp.resolve("libaiprof.so"));
    String script = "mount -t tmpfs aiprof-test \"$2\" && cp \"$1\" \"$2/\" && exec \"$3\"";
    PhaseRecorder phases = new PhaseRecorder();
    try (RunningMarker m = new RunningMarker(phases, Map.of("marker.scan-interval", "10m"))) {
      MarkerCollector c = m.collector;
      List<String> cmd =
          List.of(
              "unshare",
              "--mount",
              "--propagation",
              "private",
              "sh",
              "-c",
              script,
              "sh",
              copy.toString(),
              lib.getParent().toString(),
              exe.toString());
      try (Child p = Child.start(cmd, Map.of())) {
        p.await("ready", TIMEOUT);
        int pid = MarkerTrace.pid(p.lines());
        // The file the process maps, as its own mount namespace resolves the path.
        LibraryId inNamespace = LibraryId.of(Path.of("/proc/" + pid + "/root" + lib));
        assertThat(inNamespace).isNotEqualTo(LibraryId.of(lib));
        c.scan();
        // (Other processes on this host may map other copies of the library: those are attached
        // too.)
        assertThat(c.probe().attached())
            .as("the namespace's copy, not the host's file")
            .contains(inNamespace)
            .doesNotContain(LibraryId.of(lib));
        p.send("go");
        p.await("done", TIMEOUT);
        List<MarkerTrace.Expected> expected = MarkerTrace.expected(p.lines());
        MarkerTrace.assertMatches(pid, phases.await(pid, expected.size(), TIMEOUT), expected);
        p.send("exit");
        assertThat(p.waitFor(TIMEOUT)).isZero();
      }
    }
  }

  private static Integer[] tids(List<MarkerTrace.Expected> expected) {
    return expected.stream().map(MarkerTrace.Expected::tid).distinct().toArray(Integer[]::new);
  }
}
