package dev.aiprof.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The .deb installed by dpkg into a scratch root, and the agent run from there (its
 * /opt/aiprof/bin/aiprof: /usr/bin/aiprof links to the host's /opt) as root with a PATH that holds
 * no Java (only the shell tools the launcher uses) and no JAVA_HOME: doctor, a 1 s profile with
 * probes attached, the AOT cache used where the package put it, the edited conffile kept over an
 * upgrade to a later version, and purge leaving nothing.
 */
@Requires(
    root = true,
    tools = {"dpkg", "dpkg-query"},
    files = "/sys/kernel/btf/vmlinux")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebInstallIT {
  private ScratchRoot root;
  private Path bin;

  @BeforeAll
  void install() throws IOException {
    root = new ScratchRoot();
    root.dpkg("-i", Dist.deb().toString()).ok();
    bin = Files.createTempDirectory("aiprof-path");
    for (String tool : List.of("sh", "readlink", "dirname")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/bin", tool).toRealPath());
    }
  }

  @AfterAll
  void remove() throws IOException {
    root.close();
    for (String tool : List.of("sh", "readlink", "dirname")) {
      Files.deleteIfExists(bin.resolve(tool));
    }
    Files.deleteIfExists(bin);
  }

  @Test
  void installedWithItsConffile() throws IOException {
    assertThat(root.query("${Status} ${Version}"))
        .isEqualTo("install ok installed " + Dist.debVersion());
    assertThat(root.query("${Conffiles}")).contains("/etc/aiprof/config.yaml");
    assertThat(Files.readSymbolicLink(root.path("/usr/bin/aiprof")))
        .isEqualTo(Path.of("/opt/aiprof/bin/aiprof"));
  }

  @Test
  void doctorRunsWithoutJdkOnPath() {
    Cmd doctor = agent("doctor");
    assertThat(doctor.ok()).contains("aiprof can run on this host.").containsPattern("btf +ok");
    assertThat(doctor.err()).doesNotContain("AOT", "CDS");
  }

  @Test
  void profileAttachesItsProbesWithoutJdkOnPath() {
    Cmd profile = agent("profile", "--duration", "1s");
    assertThat(profile.ok()).contains("scheduler probe:").contains("Workloads (cgroups)");
    assertThat(profile.err()).containsPattern("probes attached \\d+\\.\\d\\ds after start");
  }

  @Test
  void upgradeKeepsTheEditedConffile() throws IOException {
    Path newer = newerVersion();
    try (ScratchRoot other = new ScratchRoot()) {
      other.dpkg("-i", Dist.deb().toString()).ok();
      Path config = other.path("/etc/aiprof/config.yaml");
      String edited = Files.readString(config) + "sched.min-stall: 5ms\n";
      Files.writeString(config, edited);
      String out = other.dpkg("-i", newer.toString()).ok();
      assertThat(out).contains("Unpacking aiprof (" + Dist.debVersion() + ".1) over");
      assertThat(other.query("${Version}")).isEqualTo(Dist.debVersion() + ".1");
      assertThat(config).hasContent(edited);
    } finally {
      Files.deleteIfExists(newer);
    }
  }

  /** The same package as a later version (dpkg-deb -R, Version: X.1, dpkg-deb -b). */
  private static Path newerVersion() throws IOException {
    Path dir = Files.createTempDirectory("aiprof-deb");
    Path tree = dir.resolve("tree");
    Cmd.run(List.of("dpkg-deb", "-R", Dist.deb().toString(), tree.toString())).ok();
    Path control = tree.resolve("DEBIAN/control");
    String v = Dist.debVersion();
    Files.writeString(
        control, Files.readString(control).replace("Version: " + v, "Version: " + v + ".1"));
    Path deb = Files.createTempFile("aiprof-newer", ".deb");
    Cmd.run(
            List.of(
                "dpkg-deb",
                "--root-owner-group",
                "-Zgzip",
                "-z1",
                "-b",
                tree.toString(),
                deb.toString()))
        .ok();
    Cmd.run(List.of("rm", "-rf", dir.toString())).ok();
    return deb;
  }

  @Test
  void purgeRemovesFilesConffileAndState() throws IOException {
    try (ScratchRoot other = new ScratchRoot()) {
      other.dpkg("-i", Dist.deb().toString()).ok();
      Files.createDirectories(other.path("/var/lib/aiprof"));
      Files.writeString(other.path("/var/lib/aiprof/state"), "x");
      other.dpkg("--purge", "aiprof").ok();
      for (String gone :
          List.of("/opt/aiprof", "/usr/bin/aiprof", "/etc/aiprof", "/var/lib/aiprof")) {
        assertThat(Files.exists(other.path(gone), java.nio.file.LinkOption.NOFOLLOW_LINKS))
            .as(gone)
            .isFalse();
      }
    }
  }

  /** The installed launcher; -XX:AOTMode=on fails the start if the cache cannot be used. */
  private Cmd agent(String... args) {
    List<String> command =
        new java.util.ArrayList<>(List.of(root.path("/opt/aiprof/bin/aiprof").toString()));
    command.addAll(List.of(args));
    Map<String, String> env =
        Map.of("PATH", bin.toString(), "AIPROF_JAVA_OPTS", "-XX:AOTMode=on", "LANG", "C.UTF-8");
    return Cmd.run(command, env, Duration.ofSeconds(60));
  }
}
