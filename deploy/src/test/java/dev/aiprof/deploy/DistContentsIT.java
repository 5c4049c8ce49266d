package dev.aiprof.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the tarball and the .deb hold, read back with tar and dpkg-deb (no install, no root). */
@Requires(tools = {"tar", "dpkg-deb"})
class DistContentsIT {
  private static final String TOP = "aiprof-" + Dist.VERSION + "/";

  @Test
  void tarballHoldsRuntimeAgentAndDashboardsButNoReferenceModel() throws IOException {
    List<String> files = lines(Cmd.run(List.of("tar", "-tzf", Dist.tarball().toString())).ok());
    assertThat(files)
        .contains(
            TOP + "bin/aiprof",
            TOP + "runtime/bin/java",
            TOP + "runtime/lib/modules",
            TOP + "aiprof.jar",
            TOP + "lib/libaiprof.so",
            TOP + "lib/libaiprofcap.so",
            TOP + "lib/libjnidispatch.so",
            TOP + "lib/jvm.options",
            TOP + "lib/aiprof.aot",
            TOP + "config.yaml");
    for (String dashboard : dashboards()) {
      assertThat(files).contains(TOP + "dashboards/" + dashboard);
    }
    assertThat(files)
        .noneMatch(f -> f.contains("onnxruntime") || f.contains("aiprof-reference"))
        .noneMatch(f -> f.endsWith("/bin/javac") || f.endsWith("/bin/jlink"));
  }

  @Test
  void debInstallsOptUsrBinEtcWithRootOwnership() {
    String listing = Cmd.run(List.of("dpkg-deb", "-c", Dist.deb().toString())).ok();
    List<String> lines = lines(listing);
    assertThat(lines)
        .anyMatch(
            l -> l.startsWith("-rwxr-xr-x root/root") && l.endsWith("./opt/aiprof/bin/aiprof"))
        .anyMatch(l -> l.endsWith("./usr/bin/aiprof -> /opt/aiprof/bin/aiprof"))
        .anyMatch(
            l -> l.startsWith("-rw-r--r-- root/root") && l.endsWith("./etc/aiprof/config.yaml"))
        .anyMatch(l -> l.endsWith("./opt/aiprof/runtime/bin/java"))
        .allMatch(l -> l.contains(" root/root "));
    boolean unit = Files.isRegularFile(Dist.repo().resolve("deploy/systemd/aiprof.service"));
    assertThat(listing.contains("./lib/systemd/system/aiprof.service"))
        .as("the unit is shipped exactly when deploy/systemd/aiprof.service exists")
        .isEqualTo(unit);
  }

  @Test
  void debControlConffilesAndMaintainerScripts() {
    String deb = Dist.deb().toString();
    String info = Cmd.run(List.of("dpkg-deb", "-I", deb)).ok();
    assertThat(info)
        .contains(" Package: aiprof", " Version: " + Dist.debVersion(), " Architecture: amd64")
        .containsPattern(" Depends: .*libbpf1")
        .doesNotContainPattern("Depends: .*(jdk|jre|java)");
    assertThat(info).containsPattern("\\d+ bytes, +\\d+ lines +\\* +postinst +#!/bin/sh");
    assertThat(info)
        .containsPattern("\\* +prerm +#!/bin/sh")
        .containsPattern("\\* +postrm +#!/bin/sh");
    assertThat(Cmd.run(List.of("dpkg-deb", "-f", deb, "Installed-Size")).ok().strip())
        .matches("\\d{5,6}");
    assertThat(Cmd.run(List.of("dpkg-deb", "-I", deb, "conffiles")).ok())
        .isEqualTo("/etc/aiprof/config.yaml\n");
  }

  @Test
  void packagedJvmOptionsAreTheCheckoutLaunchers() throws IOException {
    Path stage = Dist.target().resolve("dist").resolve(TOP);
    List<String> options = Files.readAllLines(stage.resolve("lib/jvm.options"));
    String launcher = Files.readString(Dist.repo().resolve("aiprof"));
    assertThat(options).contains("--enable-native-access=ALL-UNNAMED").hasSizeGreaterThan(5);
    for (String o : options) {
      assertThat(launcher).as("./aiprof passes %s", o).contains(" " + o);
    }
  }

  @Test
  void runtimeHasTheListedModulesOnly() throws IOException {
    Path runtime = Dist.target().resolve("dist").resolve(TOP).resolve("runtime");
    List<String> listed = Files.readAllLines(runtime.resolve("aiprof-modules"));
    List<String> modules =
        lines(Cmd.run(List.of(runtime.resolve("bin/java").toString(), "--list-modules")).ok())
            .stream()
            .map(m -> m.replaceFirst("@.*", ""))
            .toList();
    assertThat(modules)
        .contains("java.base", "jdk.attach", "jdk.httpserver", "jdk.management.jfr")
        .doesNotContain("jdk.compiler", "jdk.jlink", "jdk.jshell")
        .containsAll(listed);
  }

  private static List<String> dashboards() throws IOException {
    try (Stream<Path> s = Files.list(Dist.repo().resolve("dashboards"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).toList();
    }
  }

  private static List<String> lines(String s) {
    return Arrays.stream(s.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
  }
}
