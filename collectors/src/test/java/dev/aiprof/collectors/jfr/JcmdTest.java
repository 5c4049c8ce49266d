package dev.aiprof.collectors.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jcmd runner against stand-in executables (the real jcmd is exercised by the ITs). */
class JcmdTest {
  @TempDir Path dir;

  @Test
  void passesJvmOptionsThenPidThenCommandAndReturnsTheOutput() throws Exception {
    Jcmd echo = new Jcmd(script("echo \"$@\""), Duration.ofSeconds(10));
    assertThat(echo.run(42, List.of("JFR.check", "verbose=true")).strip())
        .isEqualTo(
            "-J-XX:-UsePerfData -J-XX:+UseSerialGC -J-XX:TieredStopAtLevel=1 42 JFR.check"
                + " verbose=true");
  }

  @Test
  void failuresCarryTheExitCodeAndTheLastLines() throws Exception {
    Jcmd failing =
        new Jcmd(
            script("echo one; echo; echo two; echo three; echo four; exit 3"),
            Duration.ofSeconds(10));
    assertThatThrownBy(() -> failing.run(7, List.of("JFR.stop")))
        .isInstanceOf(JfrException.class)
        .hasMessage("jcmd 7 JFR.stop failed (exit 3): two | three | four");
  }

  @Test
  void aHungJcmdIsKilledAtTheTimeout() throws Exception {
    Jcmd hung = new Jcmd(script("exec sleep 30"), Duration.ofMillis(300));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> hung.run(7, List.of("JFR.start")))
        .hasMessage("jcmd 7 JFR.start did not finish within PT0.3S");
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(20).toNanos());
  }

  @Test
  void aMissingJcmdSaysWhatToDo() {
    Jcmd missing = new Jcmd(dir.resolve("jcmd"), Duration.ofSeconds(1));
    assertThatThrownBy(() -> missing.run(1, List.of("JFR.check")))
        .hasMessage(
            "no jcmd at "
                + dir.resolve("jcmd")
                + ": run the agent on a JDK or set jfr.jcmd to a jcmd tool");
  }

  private Path script(String body) throws Exception {
    Path p = dir.resolve("fake-jcmd-" + System.nanoTime());
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
