package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capabilities for other users' processes, each shown needed by taking it away (root with a
 * setpriv bounding set) while a process of user nobody is there: CAP_SYS_PTRACE for the marker's
 * uprobe on nobody's libaiprof.so (through /proc/PID/root), CAP_KILL and CAP_DAC_OVERRIDE for JFR
 * on nobody's JVM.
 */
@Requires(
    root = true,
    tools = {"setpriv", "gcc"},
    files = "/sys/kernel/btf/vmlinux")
class CapabilityProofIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path LAUNCHER = ROOT.resolve("aiprof");
  private static final String NOBODY = "--reuid=65534 --regid=65534 --clear-groups";

  @TempDir Path tmp;

  @Test
  void theMarkerNeedsSysPtraceForAnotherUsersLibrary() throws Exception {
    Path dir = shared(tmp.resolve("lib"));
    Files.copy(ROOT.resolve("marker/target/libaiprof.so"), dir.resolve("libaiprof.so"));
    Path c =
        Files.writeString(
            dir.resolve("loop.c"),
            "#include <unistd.h>\n#include \"aiprof.h\"\nint main(void){for(;;){"
                + "aiprof_phase_begin(\"p\");usleep(100000);aiprof_phase_end();}}\n");
    run(
        "gcc",
        "-o",
        dir.resolve("loop").toString(),
        c.toString(),
        "-I" + ROOT.resolve("marker/include"),
        "-L" + dir,
        "-laiprof");
    ProcessBuilder pb =
        new ProcessBuilder(setpriv(NOBODY, dir.resolve("loop").toString())).directory(dir.toFile());
    pb.environment().put("LD_LIBRARY_PATH", dir.toString());
    Process loop = pb.start();
    try {
      String without =
          agentUntil(
              "-all,+bpf,+perfmon,+sys_admin",
              "cannot attach to libaiprof.so",
              "--collectors",
              "marker,sched");
      assertThat(without)
          .contains("cannot attach to libaiprof.so /proc/" + loop.pid() + "/root")
          .contains("EACCES (permission denied)");
      String with =
          agent("-all,+bpf,+perfmon,+sys_admin,+sys_ptrace", "--collectors", "marker,sched");
      assertThat(with).doesNotContain("cannot attach to libaiprof.so");
    } finally {
      loop.destroy();
    }
  }

  @Test
  void jfrNeedsKillAndDacOverrideForAnotherUsersJvm() throws Exception {
    Path dir = shared(tmp.resolve("jvm"));
    Path src =
        Files.writeString(
            dir.resolve("Sleep.java"),
            "public class Sleep { public static void main(String[] a) throws Exception {"
                + " Thread.sleep(120_000); } }");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm =
        new ProcessBuilder(setpriv(NOBODY, java, src.toString())).directory(dir.toFile()).start();
    try {
      awaitPerfData(jvm);
      String base = "-all,+bpf,+perfmon,+sys_admin,+sys_ptrace";
      String[] args = {"--collectors", "jfr", "--set", "jfr.pids=" + jvm.pid()};
      String refused = "not streaming JFR events of pid " + jvm.pid();
      assertThat(agentUntil(base, refused, args))
          .contains(refused)
          .contains("Operation not permitted");
      assertThat(agentUntil(base + ",+kill", refused, args))
          .contains(refused)
          .contains("Permission denied");
      assertThat(agent(base + ",+kill,+dac_override", args)).doesNotContain("not streaming JFR");
    } finally {
      jvm.destroy();
    }
  }

  /**
   * Until the JVM can be attached to: its hsperfdata file (what discovery finds it by) and its
   * signal dispatcher thread (what answers the attach signal) are there; a second or more on a
   * loaded host.
   */
  private static void awaitPerfData(Process jvm) throws Exception {
    Path perf = Path.of("/tmp/hsperfdata_nobody", Long.toString(jvm.pid()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(perf) || !hasThread(jvm.pid(), "Signal Dispatch")) {
      assertThat(jvm.isAlive()).as("the JVM of user nobody runs").isTrue();
      assertThat(System.nanoTime()).as("%s within 60 s", perf).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static boolean hasThread(long pid, String comm) throws Exception {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : tasks.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).strip().equals(comm)) {
            return true;
          }
        } catch (java.nio.file.NoSuchFileException e) {
          // exited meanwhile
        }
      }
    }
    return false;
  }

  /**
   * The agent as root with this bounding set until its output shows {@code line} and it runs, then
   * SIGTERM; its output (it must exit 0). For what the output must show: no fixed run time to wait
   * out.
   */
  private String agentUntil(String bounding, String line, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "agent", ".log");
    Process p = start(bounding, "60s", log, args);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (p.isAlive() && !shows(Files.readString(log), line) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      p.destroy();
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The line, and the agent is past start-up (SIGTERM now is an orderly stop, exit 0). */
  private static boolean shows(String out, String line) {
    return out.contains(line) && out.contains("running until");
  }

  /**
   * The agent for 3 s as root with this bounding set; its output. For what the output must not
   * show, within the run time the other runs took.
   */
  private String agent(String bounding, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "agent", ".log");
    Process p = start(bounding, "3s", log, args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private Process start(String bounding, String duration, Path log, String... args)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--bounding-set=" + bounding,
                LAUNCHER.toString(),
                "run",
                "--degraded",
                "--duration",
                duration,
                "--prometheus-address",
                "127.0.0.1:0",
                "--output-dir",
                tmp.resolve("otlp").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<String> setpriv(String who, String... cmd) {
    List<String> all = new ArrayList<>(List.of("setpriv"));
    all.addAll(List.of(who.split(" ")));
    all.addAll(List.of(cmd));
    return all;
  }

  private Path shared(Path dir) throws Exception {
    Files.createDirectories(dir);
    for (Path p = dir;
        p.startsWith(tmp.getParent()) && !p.equals(tmp.getParent());
        p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
    }
    return dir;
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd)).isZero();
  }
}
