package dev.aiprof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/systemd/aiprof.service under a real systemd (PID 1 of its own namespaces), through
 * deploy/systemd/test/run-under-systemd.sh: verify, ready, watchdog fed, capabilities, restart
 * after kill -9 and after a hang (SIGSTOP: the watchdog fires), and stop. Prints the script's
 * lines, the security score among them.
 */
@Requires(
    root = true,
    tools = {"unshare", "nsenter", "systemd-analyze", "setsid"},
    files = {"/lib/systemd/systemd", "/sys/kernel/btf/vmlinux"})
class SystemdUnitIT {
  private static final Path SCRIPT =
      Path.of("..", "deploy", "systemd", "test", "run-under-systemd.sh")
          .toAbsolutePath()
          .normalize();

  @Test
  void theUnitStartsBecomesReadyRestartsAfterKillAndStops() throws Exception {
    Process p = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("script ends").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println(out);
    assertThat(out)
        .contains("ok   systemd-analyze verify: empty stderr")
        .contains("ok   active (READY=1 received)")
        .contains("ok   BPF collectors run under the hardening")
        .contains("ok   watchdog fed past WatchdogSec")
        .contains("ok   restarted after kill -9")
        .contains("ok   the watchdog fires on the hung agent (Result=watchdog)")
        .contains("ok   and it is restarted")
        .contains("ok   stopped cleanly")
        .contains("ok   the JFR drop-in adds CAP_KILL and CAP_DAC_OVERRIDE")
        .contains("security: Overall exposure level for aiprof.service:")
        .doesNotContain("FAIL");
    assertThat(p.exitValue()).isZero();
  }
}
