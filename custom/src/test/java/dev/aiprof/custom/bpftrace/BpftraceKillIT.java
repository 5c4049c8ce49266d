package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Requires;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kill -9} of the agent leaves no bpftrace behind (PR_SET_PDEATHSIG through setpriv). */
@Requires(
    root = true,
    tools = {"bpftrace", "setpriv"})
class BpftraceKillIT {
  @Test
  void sigkillOfTheAgentKillsItsBpftrace(@TempDir Path tmp) throws Exception {
    Path script =
        Files.writeString(tmp.resolve("ticks.bt"), "interval:ms:50 { @ticks = count(); }\n");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process agent =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                AgentChild.class.getName(),
                script.toString(),
                tmp.resolve("state").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertThat(line).startsWith("bpftrace ");
      long pid = Long.parseLong(line.substring("bpftrace ".length()));
      Optional<ProcessHandle> bpftrace = ProcessHandle.of(pid);
      assertThat(bpftrace).isPresent();
      assertThat(bpftrace.get().info().command().orElse("")).endsWith("bpftrace");

      new ProcessBuilder("kill", "-9", Long.toString(agent.pid())).start().waitFor();
      assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(
              BpftracePipeline.await(
                  () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true),
                  Duration.ofSeconds(10)))
          .as("bpftrace %d outlived the killed agent", pid)
          .isTrue();
    } finally {
      agent.destroyForcibly();
    }
  }
}
