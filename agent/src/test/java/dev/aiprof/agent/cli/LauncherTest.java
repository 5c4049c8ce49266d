package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell launcher's decisions, run for real against a {@link LauncherHost}: only {@code setup},
 * {@code demo} and {@code test} install, build or mount; every other command runs the built jar or
 * says in one line what is missing and how to fix it. The required tools are {@link
 * LauncherHost#TOOLS} (an annotation cannot name an array constant).
 */
@Requires(
    tools = {
      "bash",
      "dirname",
      "readlink",
      "sed",
      "grep",
      "find",
      "mktemp",
      "rm",
      "head",
      "cat",
      "mkdir",
      "cp",
      "touch"
    })
class LauncherTest {
  static final List<String> BUILD_PKGS =
      List.of(
          "clang",
          "llvm",
          "libbpf-dev",
          "libbpf1",
          "bpftool",
          "maven",
          "gcc",
          "make",
          "util-linux");
  static final String INSTALL = "apt-get install -y -qq --no-install-recommends ";
  static final String SETUP_HINT = "run sudo ./aiprof setup";

  @TempDir Path tmp;
  LauncherHost host;

  @BeforeEach
  void host() {
    host = LauncherHost.create(tmp);
  }

  private String java25() {
    return host.jvm().resolve("jdk-25") + "/bin/java";
  }

  private String noJava() {
    return "no Java 25 or newer in JAVA_HOME or " + host.jvm() + "/*";
  }

  @Test
  void runWithoutJarExitsTwoWithTheSetupCommandAndTouchesNothing() {
    host.java("jdk-25", 25, true);
    List<String> before = host.files();
    LauncherHost.Result r = host.run("run", "--help");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("aiprof: agent/target/aiprof.jar is not built: " + SETUP_HINT + "\n");
    assertThat(r.calls()).isEmpty();
    assertThat(host.files()).isEqualTo(before);
  }

  @Test
  void runWithBuiltJarStartsItAndNothingElse() {
    // Root, nothing installed, tracefs unmounted: the old launcher installed, built and mounted.
    host.java("jdk-17", 17, true).java("jdk-25", 25, true).builtJar();
    List<String> before = host.files();
    LauncherHost.Result r = host.run("run", "--otlp-endpoint", "http://collector:4318");
    assertThat(r.status()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.calls()).hasSize(1);
    assertThat(r.calls().getFirst())
        .startsWith(java25() + " --enable-native-access=ALL-UNNAMED")
        .endsWith(" -jar " + host.jar() + " run --otlp-endpoint http://collector:4318");
    assertThat(host.files()).isEqualTo(before);
  }

  @Test
  void runWithStaleJarWarnsAndRunsTheBuiltJar() {
    host.java("jdk-25", 25, true).staleJar();
    LauncherHost.Result r = host.run("doctor");
    assertThat(r.status()).isZero();
    assertThat(r.err())
        .isEqualTo(
            "aiprof: warning: agent/target/aiprof.jar is older than"
                + " agent/src/main/java/dev/Example.java: running it as built;"
                + " sudo ./aiprof setup rebuilds it\n");
    assertThat(r.calls()).singleElement().asString().startsWith(java25()).endsWith(" doctor");
  }

  @Test
  void runNeedsOnlyAJavaRuntime() {
    host.java("jre-25", 25, false).builtJar();
    LauncherHost.Result r = host.run("--help");
    assertThat(r.status()).isZero();
    assertThat(r.calls())
        .singleElement()
        .asString()
        .startsWith(host.jvm().resolve("jre-25") + "/bin/java ");
  }

  @Test
  void runWithoutJavaOnBookwormNamesTheCauseAndTheFix() {
    host.java("jdk-17", 17, true).builtJar().bookworm();
    LauncherHost.Result r = host.run("run");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: Debian GNU/Linux 12 (bookworm) packages no JDK 25 ("
                + noJava()
                + "): install a JDK 25 such as Temurin 25 under /usr/lib/jvm, or set JAVA_HOME\n");
    assertThat(r.calls()).containsExactly("apt-cache policy openjdk-25-jdk-headless");
  }

  @Test
  void runWithoutJavaOnTrixiePointsToSetup() {
    host.builtJar().trixie();
    LauncherHost.Result r = host.run("run");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("aiprof: " + noJava() + ": " + SETUP_HINT + "\n");
    assertThat(r.of("apt-get")).isEmpty();
  }

  @Test
  void runWithoutJavaOrAptNamesTheFix() {
    host.builtJar().withoutApt();
    LauncherHost.Result r = host.run("run");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: "
                + noJava()
                + ": install a JDK 25 such as Temurin 25 under /usr/lib/jvm, or set JAVA_HOME\n");
  }

  @Test
  void setupInstallsBuildPackagesMountsTracefsAndBuilds() {
    host.java("jdk-25", 25, true);
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.actions())
        .containsExactly(
            "apt-get update -qq",
            INSTALL + String.join(" ", BUILD_PKGS),
            "mount -t tracefs nodev " + host.tracefs(),
            "mvn JAVA_HOME="
                + host.jvm().resolve("jdk-25")
                + " -B -q -Dstyle.color=never"
                + " -DskipTests -Daiprof.dist.skip=true package");
    assertThat(host.jar()).exists();
  }

  @Test
  void setupWithEverythingInPlaceChangesNothing() {
    host.java("jdk-25", 25, true).installed(BUILD_PKGS).builtJar().tracefsMounted();
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.of("apt-get")).isEmpty();
    assertThat(r.of("mvn")).isEmpty();
    assertThat(r.of("mount")).isEmpty();
  }

  @Test
  void setupRebuildsAStaleJar() {
    host.java("jdk-25", 25, true).installed(BUILD_PKGS).staleJar().tracefsMounted();
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.of("mvn"))
        .singleElement()
        .asString()
        .endsWith(" -DskipTests -Daiprof.dist.skip=true package");
  }

  @Test
  void setupWithTestsAlsoInstallsTheTestPackages() {
    host.java("jdk-25", 25, true).installed(BUILD_PKGS).builtJar();
    LauncherHost.Result r = host.run("setup", "--tests");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.of("apt-get install"))
        .containsExactly(
            INSTALL
                + "bpftrace stress-ng linux-perf python3 prometheus default-jre-headless chromium"
                + " podman runc fio systemtap-sdt-dev iproute2 libbpfcc runsc busybox-static"
                + " nodejs npm");
  }

  @Test
  void setupAsNonRootNamesTheCommandToRunAsRoot() {
    host.java("jdk-25", 25, true).uid(1000);
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: missing packages: "
                + String.join(" ", BUILD_PKGS)
                + "; to install them, run as root: sudo ./aiprof setup\n");
    assertThat(r.of("apt-get")).isEmpty();
    assertThat(r.of("mvn")).isEmpty();
  }

  @Test
  void setupWithoutJdkOnBookwormExitsTwoBeforeInstallingAnything() {
    host.java("jdk-17", 17, true).bookworm();
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: Debian GNU/Linux 12 (bookworm) packages no JDK 25 ("
                + noJava()
                + "): install a JDK 25 such as Temurin 25 under /usr/lib/jvm, or set JAVA_HOME\n");
    assertThat(r.of("apt-get install")).isEmpty();
    assertThat(r.of("mvn")).isEmpty();
    assertThat(r.of("mount")).isEmpty();
  }

  @Test
  void setupWithoutJdkOnTrixieInstallsOpenjdk25AndBuildsWithIt() {
    host.java("jdk-17", 17, true).trixie();
    LauncherHost.Result r = host.run("setup");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.of("apt-get install"))
        .containsExactly(INSTALL + String.join(" ", BUILD_PKGS) + " openjdk-25-jdk-headless");
    assertThat(r.of("mvn"))
        .singleElement()
        .asString()
        .startsWith("mvn JAVA_HOME=" + host.jvm().resolve("java-25-openjdk-amd64") + " ");
  }

  @Test
  void setupRejectsAnUnknownOption() {
    LauncherHost.Result r = host.run("setup", "--test");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("aiprof: setup: unknown option '--test' (the only one is --tests)\n");
    assertThat(r.calls()).isEmpty();
  }

  @Test
  void testInstallsTheTestPackagesAndRunsVerify() {
    host.java("jdk-25", 25, true).installed(BUILD_PKGS);
    LauncherHost.Result r = host.run("test", "-Dtest=LauncherTest");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.of("apt-get install")).singleElement().asString().contains(" bpftrace ");
    assertThat(r.of("mvn"))
        .containsExactly(
            "mvn JAVA_HOME="
                + host.jvm().resolve("jdk-25")
                + " -B -q -Dstyle.color=never"
                + " verify -Dtest=LauncherTest");
    assertThat(r.calls()).noneMatch(c -> c.startsWith(java25()));
  }

  @Test
  void demoRebuildsAStaleJarThenRunsIt() {
    host.java("jdk-25", 25, true).installed(BUILD_PKGS).staleJar().tracefsMounted();
    LauncherHost.Result r = host.run("demo", "--requests", "2");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.actions()).hasSize(2);
    assertThat(r.actions().get(0))
        .startsWith("mvn ")
        .endsWith(" -DskipTests -Daiprof.dist.skip=true package");
    assertThat(r.actions().get(1)).startsWith(java25()).endsWith(" demo --requests 2");
    assertThat(Files.exists(host.jar())).isTrue();
  }
}
