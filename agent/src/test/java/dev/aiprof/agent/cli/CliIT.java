package dev.aiprof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.Contention;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.WorkloadProcess;
import org.junit.jupiter.api.Test;

/** The CLI end to end, as root, against the real kernel. */
@Requires(root = true, tools = "taskset", files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class CliIT {
  @Test
  void doctorSaysTheAgentCanRunAndWhichVariant() {
    CliRun r = CliRun.of("doctor");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .containsPattern("sched probe\\s+ok\\s+(tp_btf|raw_tp) variant")
        .containsPattern("privileges\\s+ok")
        .contains("aiprof can run on this host.");
  }

  @Test
  void profileOfAProcessListsItsThreadsAndItsWaits() throws Exception {
    String cpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
    try (WorkloadProcess busy = WorkloadProcess.start(cpu, Contention.class, "busy", "1");
        WorkloadProcess victims =
            WorkloadProcess.start(cpu, Contention.class, "victim", "2", "2000", "500")) {
      busy.send("go");
      victims.send("go");
      CliRun r =
          CliRun.of(
              "profile",
              "--duration",
              "2s",
              "--pid",
              Long.toString(victims.pid()),
              "--probe-stats");
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("aiprof profile: pid " + victims.pid())
          .contains("Threads, by runqueue wait:")
          .contains("victim-0")
          .contains("victim-1")
          .contains("Runqueue latency")
          .containsPattern("probe cost: sched_switch_\\w+\\s+\\d+ ns/run")
          .containsPattern("agent: .* CPU over the window for \\d+ events");
    }
  }
}
