package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher run as user nobody and as root with reduced capability sets (setpriv): doctor
 * and run name the missing capability instead of blaming the kernel, run refuses (exit 2) unless
 * --degraded, and the four proven capabilities alone, as nobody, run every BPF collector.
 */
@Requires(root = true, tools = "setpriv", files = "/sys/kernel/btf/vmlinux")
class PrivilegeIT {
  private static final Path LAUNCHER = Path.of("..", "aiprof").toAbsolutePath().normalize();
  private static final String NOBODY = "--reuid=65534 --regid=65534 --clear-groups";

  @TempDir Path tmp;

  record Result(int status, String out) {}

  private Result run(String setpriv, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("setpriv"));
    cmd.addAll(List.of(setpriv.split(" ")));
    cmd.add(LAUNCHER.toString());
    cmd.addAll(List.of(args));
    Path log = tmp.resolve("out.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private String[] runArgs(String... extra) throws IOException {
    Path out = Files.createDirectories(tmp.resolve("otlp"));
    out.toFile().setWritable(true, false);
    tmp.toFile().setExecutable(true, false);
    List<String> a = new ArrayList<>(List.of("run", "--duration", "1s", "--output-dir"));
    a.add(out.toString());
    a.addAll(List.of("--prometheus-address", "127.0.0.1:0"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  private static String caps(String... caps) {
    String set = "-all," + String.join(",", caps);
    return "--inh-caps=" + set + " --ambient-caps=" + set + " --bounding-set=" + set;
  }

  @Test
  void doctorAsNobodyNamesPrivilegesNotTheKernel() throws Exception {
    Result r = run(NOBODY, "doctor");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains("privileges     FAIL cannot load BPF programs: missing CAP_BPF and CAP_PERFMON")
        .contains("ringbuf        FAIL not probed: this process may not create BPF maps")
        .contains("EPERM (operation not permitted): refused for want of a privilege")
        .contains("tracefs        no   mounted at /sys/kernel/tracing but not readable")
        .doesNotContain("kernel lacks it")
        .doesNotContain("not mounted");
  }

  @Test
  void runAsNobodyRefusesNamingEachCapability() throws Exception {
    Result r = run(NOBODY, runArgs());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out())
        .contains("aiprof: run lacks capabilities (have none)")
        .contains("missing CAP_BPF for cuda, fileio, marker, sched")
        .contains("missing CAP_PERFMON for cuda, fileio, marker, sched")
        .contains("missing CAP_SYS_ADMIN for cuda, marker: attach uprobes")
        .contains("missing CAP_SYS_PTRACE for cuda, marker")
        .contains(
            "fix: run as root (sudo), or grant CAP_BPF CAP_PERFMON CAP_SYS_ADMIN CAP_SYS_PTRACE")
        .doesNotContain("aiprof run: collectors");
  }

  @Test
  void bpfAndPerfmonAloneLackUprobes() throws Exception {
    String set = "--bounding-set=-all,+bpf,+perfmon";
    Result doctor = run(set, "doctor");
    assertThat(doctor.out())
        .contains("privileges     ok   CAP_PERFMON CAP_BPF")
        .contains("cap sys_admin  no   missing, CAP_SYS_ADMIN for cuda, marker: attach uprobes")
        .contains("uprobe         no   attach probe_uprobe")
        .contains("EACCES (permission denied): refused for want of a privilege")
        .doesNotContain("probe_fentry: EPERM (operation not permitted): refused");
    Result r = run(set, runArgs());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.out()).contains("missing CAP_SYS_ADMIN").doesNotContain("missing CAP_BPF");
  }

  @Test
  void degradedStartsWithoutThem() throws Exception {
    Result r = run("--bounding-set=-all,+bpf,+perfmon", runArgs("--degraded"));
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out())
        .contains("aiprof run: --degraded: starting without cuda, marker")
        .contains("sched (running)")
        .contains("marker (off: uprobes is not available");
  }

  @Test
  void theFourProvenCapabilitiesRunEveryBpfCollectorAsNobody() throws Exception {
    Result r = run(NOBODY + " " + caps("+bpf", "+perfmon", "+sys_admin", "+sys_ptrace"), runArgs());
    assertThat(r.status()).as(r.out()).isEqualTo(0);
    assertThat(r.out())
        .contains("sched (running)")
        .contains("marker (running)")
        .contains("cuda (running)")
        .contains("jfr (running)");
  }

  @Test
  void dropsWhatRunTimeDoesNotNeedFromEveryAgentThread() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(runArgs("--collectors", "sched,otlp")));
    cmd.set(cmd.indexOf("1s"), "20s");
    Path log = tmp.resolve("drop.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(log).contains("running until") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(log))
          .contains("aiprof run: capabilities after attach: kept none; dropped the");
      long java = p.pid(); // the launcher execs the JVM
      long startUpSet = (1L << 38) | (1L << 39) | (1L << 2) | (1L << 24);
      List<String> agentThreads = new ArrayList<>();
      try (var tasks = Files.list(Path.of("/proc", Long.toString(java), "task"))) {
        for (Path t : tasks.toList()) {
          String comm = Files.readString(t.resolve("comm")).strip();
          String eff =
              Files.readAllLines(t.resolve("status")).stream()
                  .filter(l -> l.startsWith("CapEff:"))
                  .findFirst()
                  .orElseThrow()
                  .substring(7)
                  .strip();
          if (comm.startsWith("aiprof-")) {
            agentThreads.add(comm);
            assertThat(Long.parseUnsignedLong(eff, 16) & ~startUpSet).as(comm + " " + eff).isZero();
          }
        }
      }
      assertThat(agentThreads).isNotEmpty();
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
