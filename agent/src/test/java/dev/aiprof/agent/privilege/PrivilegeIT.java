package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built launcher run as user nobody and as root with reduced capability sets (setpriv): doctor
 * and run name the missing capability instead of blaming the kernel, run refuses (exit 2) unless
 * --degraded, and the four proven capabilities alone, as nobody, run every BPF collector; after
 * attach every thread of the agent holds only the run-time set.
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
        .contains("missing CAP_BPF for blockio, cuda, marker, net, sched")
        .contains("missing CAP_PERFMON for blockio, cuda, marker, net, sched")
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

  /**
   * After attach every thread of the agent's JVM (the JVM's own GC, JIT, VM and signal threads and
   * the launcher's first thread included) holds exactly the run-time set (marker: CAP_SYS_ADMIN and
   * CAP_SYS_PTRACE) in CapEff and CapPrm, nothing in CapInh and CapAmb, and the bounding set is
   * that set too; so does the metrics renderer, a thread the first scrape starts after the drop;
   * the metric says 0 threads keep more.
   */
  @Test
  void everyThreadOfTheAgentHoldsOnlyTheRunTimeSetAfterAttach() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(runArgs("--collectors", "sched,marker,otlp")));
    cmd.set(cmd.indexOf("1s"), "30s");
    cmd.set(cmd.indexOf("127.0.0.1:0"), "127.0.0.1:" + port);
    Path log = tmp.resolve("drop.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(log).contains("running until") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(log))
          .contains(
              "aiprof run: capabilities after attach: kept CAP_SYS_ADMIN (marker: uprobes on"
                  + " libraries found after start); CAP_SYS_PTRACE (marker: library scans and JVM"
                  + " discovery go on); dropped the")
          .contains("threads (JVM threads included; threads started later inherit the kept set)");
      Path tasks = Path.of("/proc", Long.toString(p.pid()), "task"); // the launcher execs the JVM
      Map<String, String> before = sets(tasks);
      assertThat(before.keySet())
          .as("JVM threads among them")
          .anyMatch(t -> t.endsWith(" VM Thread"))
          .anyMatch(t -> t.contains(" GC Thread#"))
          .anyMatch(t -> t.endsWith(" C2 CompilerThre"))
          .anyMatch(t -> t.endsWith(" Signal Dispatch"))
          .anyMatch(t -> t.endsWith(" java"))
          .noneMatch(t -> t.endsWith(" aiprof-metrics-"));
      String runTime = String.format("%016x", (1L << 21) | (1L << 19));
      String expected = "inh 0000000000000000 prm " + runTime + " eff " + runTime;
      expected += " bnd " + runTime + " amb 0000000000000000";
      for (var e : before.entrySet()) {
        assertThat(e.getValue()).as(e.getKey()).isEqualTo(expected);
      }
      String metrics = scrape(port);
      assertThat(metrics).contains("aiprof_agent_capabilities_undropped_threads 0.0");
      Map<String, String> after = sets(tasks);
      List<String> started = after.keySet().stream().filter(t -> !before.containsKey(t)).toList();
      assertThat(started)
          .as("started after the drop")
          .anyMatch(t -> t.endsWith(" aiprof-metrics-"));
      for (String t : started) {
        assertThat(after.get(t)).as(t).isEqualTo(expected);
      }
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void keepCapabilitiesLeavesEveryThreadItsSet() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(runArgs("--collectors", "sched,otlp", "--keep-capabilities")));
    cmd.set(cmd.indexOf("1s"), "30s");
    Path log = tmp.resolve("keep.log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!Files.readString(log).contains("running until") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Files.readString(log)).contains("running until").doesNotContain("capabilities");
      String mine = sets(Path.of("/proc/self/task")).values().iterator().next();
      Map<String, String> agent = sets(Path.of("/proc", Long.toString(p.pid()), "task"));
      assertThat(agent).isNotEmpty();
      agent.forEach((t, v) -> assertThat(v).as(t).isEqualTo(mine));
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** "TID NAME" to "inh X prm X eff X bnd X amb X" for every thread of a process. */
  private static Map<String, String> sets(Path tasks) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (var list = Files.list(tasks)) {
      for (Path t : list.toList()) {
        try {
          String comm = Files.readString(t.resolve("comm")).strip();
          Map<String, String> caps = new TreeMap<>();
          for (String l : Files.readAllLines(t.resolve("status"))) {
            if (l.startsWith("Cap")) {
              caps.put(l.substring(3, 6), l.substring(7).strip());
            }
          }
          StringBuilder b = new StringBuilder();
          for (String k : List.of("Inh", "Prm", "Eff", "Bnd", "Amb")) {
            b.append(b.isEmpty() ? "" : " ").append(k.toLowerCase(Locale.ROOT)).append(' ');
            b.append(caps.get(k));
          }
          out.put(t.getFileName() + " " + comm, b.toString());
        } catch (java.nio.file.NoSuchFileException e) {
          // exited meanwhile
        }
      }
    }
    return out;
  }

  private static String scrape(int port) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var req =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
            .build();
    return client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }
}
