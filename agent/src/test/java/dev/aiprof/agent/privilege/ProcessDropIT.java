package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-wide drop in a JVM under load ({@link DropUnderLoad}, a child JVM started as root
 * from the built jar and its lib/libaiprofcap.so): 10 drops while GC, JIT, JFR streaming, a
 * blocking socket read, an NIO selector, sleeps and child processes run. Every thread, the JVM's
 * own included, then holds only CAP_SYS_PTRACE (the bounding set too, CAP_SETPCAP having been
 * held), so does a thread started after, threads that exit as the drop signals them (two loops
 * starting threads that live microseconds) are gone, not holdouts, and do not stall the drop, and
 * none of the load threads saw what an EINTR would break; HotSpot did not crash (exit 0, no hs_err
 * file).
 */
@Requires(root = true)
class ProcessDropIT {
  private static final String PTRACE = String.format("%016x", 1L << 19);
  private static final String NONE = "0000000000000000";

  @TempDir Path tmp;

  @Test
  void everyThreadOfABusyJvmDropsAndHotSpotCarriesOn() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        Path.of("target/aiprof.jar").toAbsolutePath()
            + ":"
            + Path.of("target/test-classes").toAbsolutePath();
    Path log = tmp.resolve("child.log");
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx256m",
                "-XX:+UseG1GC",
                "-cp",
                cp,
                DropUnderLoad.class.getName(),
                "10")
            .directory(tmp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = out.lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("drop ")))
        .as(out)
        .hasSize(10)
        .allMatch(l -> l.startsWith("drop holdouts=0 "));
    List<String> tasks = lines.stream().filter(l -> l.startsWith("task ")).toList();
    assertThat(tasks)
        .as("JVM threads among them")
        .anyMatch(l -> l.contains(" VM_Thread "))
        .anyMatch(l -> l.contains(" GC_Thread#0 "))
        .anyMatch(l -> l.contains(" C2_CompilerThre "))
        .anyMatch(l -> l.contains(" Signal_Dispatch "));
    String expected = " " + NONE + " " + PTRACE + " " + PTRACE + " " + PTRACE + " " + NONE;
    assertThat(tasks).as(out).allMatch(l -> l.endsWith(expected));
    assertThat(lines).as("a thread started after the drop").contains("later" + expected);
    assertThat(out).doesNotContain("failure ").contains("counters gc=");
    assertThat(lines.stream().filter(l -> l.startsWith("counters ")).findFirst().orElseThrow())
        .doesNotContain("gc=0 ")
        .doesNotContain("jit_ms=0 ")
        .doesNotContain("socket_bytes=0 ")
        .doesNotContain("processes=0");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
    }
  }
}
