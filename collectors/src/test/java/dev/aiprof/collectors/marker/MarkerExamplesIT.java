package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's examples (marker/examples: C, Python ctypes, Java JNA) run as they are and checked
 * like the test programs: the collector has the library pinned ({@code marker.libraries}), so the
 * uprobes are armed before the example loads it and its first call is already seen.
 */
@Requires(
    root = true,
    tools = {"gcc", "make"},
    files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class MarkerExamplesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void cExample() throws Exception {
    Path lib = MarkerBuild.library();
    Path marker = lib.getParent().getParent();
    MarkerBuild.run(marker, "make", "OUT=" + lib.getParent(), "examples");
    check(lib, List.of(lib.getParent().resolve("examples/phases").toString()));
  }

  @Test
  @Requires(tools = "python3")
  void pythonCtypesExample() throws Exception {
    Path lib = MarkerBuild.library();
    Path script = MarkerBuild.root().resolve("marker/examples/python/phases.py");
    check(lib, List.of("python3", script.toString(), lib.toString()));
  }

  @Test
  void javaJnaExample() throws Exception {
    Path lib = MarkerBuild.library();
    Path source = MarkerBuild.root().resolve("marker/examples/java/Phases.java");
    Path jna = Path.of(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    check(
        lib,
        List.of(
            java,
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            jna.toString(),
            source.toString(),
            lib.toString()));
  }

  private static void check(Path lib, List<String> command) throws Exception {
    PhaseRecorder phases = new PhaseRecorder();
    try (RunningMarker m =
        RunningMarker.withFollowRecorder(phases, Map.of("marker.libraries", lib.toString()))) {
      try (Child p = Child.start(command, Map.of())) {
        assertThat(p.waitFor(TIMEOUT)).as("exit code of %s", command).isZero();
        List<MarkerTrace.Expected> expected = MarkerTrace.expected(p.lines());
        assertThat(expected)
            .extracting(MarkerTrace.Expected::name)
            .containsExactly("load", "compute", "load", "compute", "epoch");
        int pid = MarkerTrace.pid(p.lines());
        List<Phase> got = phases.await(pid, expected.size(), TIMEOUT);
        MarkerTrace.assertMatches(pid, got, expected);
        m.assertFollowedOnce(pid);
      }
    }
  }
}
