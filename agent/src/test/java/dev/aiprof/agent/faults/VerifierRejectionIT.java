package dev.aiprof.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.compose.AgentSettings;
import dev.aiprof.agent.run.Agent;
import dev.aiprof.agent.run.RunOptions;
import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.CollectorProvider;
import dev.aiprof.exporters.ExporterOptions;
import dev.aiprof.pipeline.CollectorCatalog;
import dev.aiprof.pipeline.CollectorChoice;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real program the kernel's verifier rejects (a read through a pointer it cannot check), in a
 * collector of its own beside the scheduler collector: the agent starts, the rejected collector is
 * off with one message naming it, its program and the verifier's reason, the scheduler runs, and
 * nothing is left loaded after close.
 */
@Requires(root = true, tools = "clang", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class VerifierRejectionIT {
  private static final String SOURCE =
      """
      #include <linux/bpf.h>
      #include <bpf/bpf_helpers.h>
      char LICENSE[] SEC("license") = "GPL";
      SEC("tracepoint/sched/sched_switch")
      int read_unchecked(void *ctx)
      {
      	return *(volatile int *)(long)bpf_get_prandom_u32();
      }
      """;

  @TempDir Path tmp;

  @Test
  void theRejectedProbeIsNamedAndTheOthersRun() throws Exception {
    RejectedProbeProvider.object = compile();
    List<CollectorProvider> providers = new ArrayList<>(CollectorCatalog.discover().providers());
    providers.add(new RejectedProbeProvider());
    CollectorCatalog catalog = CollectorCatalog.of(providers);
    RunOptions o =
        new RunOptions(
            new ExporterOptions(
                null, false, null, tmp.resolve("otlp"), Map.of(), "test-host", null, "test"),
            CollectorChoice.only(Set.of("sched", RejectedProbeProvider.NAME)),
            List.of(),
            HostPaths.defaults(),
            Path.of("/sys/kernel/btf/vmlinux"),
            null,
            AgentSettings.catalog(catalog).validate(Map.of()));
    try (Agent agent = Agent.start(o, catalog)) {
      CollectorStatus rejected = status(agent, RejectedProbeProvider.NAME);
      System.out.println("rejected: " + rejected.describe());
      assertThat(rejected.state()).isEqualTo(CollectorStatus.State.FAILED);
      assertThat(rejected.detail())
          .startsWith(
              "load rejected program read_unchecked, rejected by the verifier (R0 invalid mem"
                  + " access 'scalar')")
          .endsWith("EACCES (permission denied)")
          .doesNotContain("\n");
      assertThat(status(agent, "sched").running()).isTrue();
    }
  }

  private static CollectorStatus status(Agent agent, String name) {
    return agent.statuses().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private Path compile() throws Exception {
    Path c = Files.writeString(tmp.resolve("rejected.bpf.c"), SOURCE);
    Path o = tmp.resolve("rejected.bpf.o");
    Process p =
        new ProcessBuilder(
                "clang",
                "-O2",
                "-g",
                "-target",
                "bpf",
                "-I/usr/include/" + multiarch(),
                "-c",
                c.toString(),
                "-o",
                o.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("clang").isZero();
    return o;
  }

  /** Where Debian keeps asm/types.h, which linux/bpf.h includes. */
  private static String multiarch() {
    return (System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86_64") + "-linux-gnu";
  }
}
