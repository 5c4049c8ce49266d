package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: a one-line cause and fix on stderr, exit status 2, nothing started. */
class MainTest {
  @Test
  void badDurationNamesTheValueAndTheForm() {
    CliRun r = CliRun.of("profile", "--duration", "10x");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: invalid --duration '10x': use a number and a unit (ns, us, ms, s, m, h), e.g. 10s\n");
  }

  @Test
  void durationOutOfRange() {
    CliRun r = CliRun.of("profile", "--duration", "48h");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("between 1ms and 24h");
  }

  @Test
  void missingProcess() {
    CliRun r = CliRun.of("profile", "--pid", "2147483647");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("aiprof: no process with pid 2147483647: check the pid with ps\n");
  }

  @Test
  void missingCgroup() {
    CliRun r = CliRun.of("profile", "--cgroup", "/no-such.slice");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).startsWith("aiprof: no cgroup /no-such.slice");
  }

  @Test
  void pidAndCgroupExcludeEachOther() {
    CliRun r = CliRun.of("profile", "--pid", "1", "--cgroup", "/");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive").contains("Try 'aiprof profile --help'");
  }

  @Test
  void unknownOptionAndCommand() {
    assertThat(CliRun.of("profile", "--bogus").status()).isEqualTo(2);
    CliRun r = CliRun.of("frobnicate");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument").contains("Try 'aiprof --help'");
  }

  @Test
  void missingPrivilegesSayHowToGetThem(@TempDir Path tmp) throws IOException {
    Path proc = Files.createDirectories(tmp.resolve("proc/self"));
    Files.writeString(proc.resolve("status"), "Name:\tjava\nCapEff:\t0000000000000000\n");
    Path sys = Files.createDirectories(tmp.resolve("sys"));
    CliRun r =
        CliRun.of(
            "profile",
            "--duration",
            "1s",
            "--procfs",
            tmp.resolve("proc").toString(),
            "--sysfs",
            sys.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "aiprof: aiprof profile loads BPF programs, which needs root (or"
                + " CAP_BPF and CAP_PERFMON): run it with sudo\n");
  }

  @Test
  void badHostPaths() {
    CliRun r = CliRun.of("doctor", "--procfs", "/definitely/not/here");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("/definitely/not/here is not a directory");
  }

  @Test
  void helpListsTheCommands() {
    CliRun r = CliRun.of("--help");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("doctor", "profile", "demo");
  }
}
