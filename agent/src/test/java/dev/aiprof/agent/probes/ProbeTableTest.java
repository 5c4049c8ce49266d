package dev.aiprof.agent.probes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.custom.bpftrace.ScriptState;
import dev.aiprof.custom.bpftrace.ScriptStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTableTest {
  @Test
  void rendersBuiltInAndCustomProgramsWithCostAndLastError() {
    String text =
        ProbeTable.render(
            List.of(new LoadedProgram(10, "sched", 7, "sched_switch_bt", 1000, 850_000)),
            List.of(
                new ScriptStatus("syscalls", "/s.bt", ScriptState.RUNNING, 20, 1, 0, ""),
                new ScriptStatus(
                    "broken", "/b.bt", ScriptState.BACKOFF, 0, 3, 3, "x.bt:1:1: ERROR: nope")),
            List.of(new LoadedProgram(20, "syscalls", 9, "sys_enter", 400, 100_000)),
            true);
    assertThat(text)
        .contains("sched       sched_switch_bt        7 loaded            1000       850")
        .contains(
            "syscalls         running        20      1        0        1          400       250")
        .contains("program sys_enter")
        .contains("broken           backoff")
        .contains("last error: x.bt:1:1: ERROR: nope")
        .doesNotContain("statistics are off");
    assertThat(ProbeTable.render(List.of(), List.of(), List.of(), false))
        .contains("none: no aiprof agent")
        .contains("none: set bpftrace.dir")
        .contains("sysctl kernel.bpf_stats_enabled=1");
  }

  @Test
  void listsUsdtProbesWithSemaphoreAndSites() {
    String text =
        ProbeTable.usdt(
            List.of(
                new dev.aiprof.custom.bcc.UsdtProbe(
                    "p", "tick", Path.of("/bin/x"), 0x3038, List.of(0x1166L, 0x11f1L), 1)));
    assertThat(text)
        .contains("p:tick")
        .contains("0x3038")
        .contains("0x1166,0x11f1")
        .endsWith("1 USDT probes\n");
  }

  @Test
  void aBpftraceChildIsKnownByItsScriptInTheStateDirectory() {
    ProbeInventory inv = new ProbeInventory(HostPaths.defaults(), Path.of("/run/aiprof/bpftrace"));
    assertThat(
            inv.scriptOf(
                List.of("/usr/bin/bpftrace", "-f", "json", "/run/aiprof/bpftrace/syscalls.bt")))
        .contains("syscalls");
    assertThat(inv.scriptOf(List.of("/usr/bin/bpftrace", "-e", "BEGIN {}"))).isEmpty();
    assertThat(inv.scriptOf(List.of("/usr/bin/bpftrace", "/tmp/other.bt"))).isEmpty();
  }
}
