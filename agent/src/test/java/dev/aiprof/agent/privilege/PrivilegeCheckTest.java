package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.identity.Capabilities;
import dev.aiprof.agent.identity.Capabilities.Cap;
import dev.aiprof.api.settings.SettingsCatalog;
import dev.aiprof.collectors.jfr.JfrSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrivilegeCheckTest {
  private static final Set<String> ALL = Set.of("sched", "marker", "cuda", "jfr", "otlp", "nvml");

  @Test
  void rootHasEverything() {
    PrivilegeCheck c = PrivilegeCheck.of(Capabilities.parse("000001fffeffffff"), ALL);
    assertThat(c.complete()).isTrue();
  }

  @Test
  void bpfAndPerfmonAloneLackUprobesAndOtherUsersProcesses() {
    PrivilegeCheck c = PrivilegeCheck.of(Capabilities.parse("000000c000000000"), ALL);
    assertThat(c.missing())
        .extracting(m -> m.need().cap())
        .containsExactly(Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE, Cap.CAP_KILL, Cap.CAP_DAC_OVERRIDE);
    assertThat(c.stopped()).containsExactly("cuda", "jfr", "marker");
    assertThat(c.fix())
        .contains("AmbientCapabilities=CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_KILL CAP_DAC_OVERRIDE");
  }

  @Test
  void sysAdminStandsInForBpfAndPerfmon() {
    PrivilegeCheck c =
        PrivilegeCheck.of(
            EnumSet.of(Cap.CAP_SYS_ADMIN, Cap.CAP_SYS_PTRACE), Set.of("sched", "marker", "cuda"));
    assertThat(c.complete()).isTrue();
  }

  @Test
  void onlyTheChosenCollectorsCount() {
    PrivilegeCheck c = PrivilegeCheck.of(EnumSet.of(Cap.CAP_BPF, Cap.CAP_PERFMON), Set.of("sched"));
    assertThat(c.complete()).isTrue();
    assertThat(PrivilegeCheck.of(Set.of(), Set.of("otlp", "nvml")).complete()).isTrue();
  }

  @Test
  void jfrNeedsNothingUntilToldToStreamJvms() {
    SettingsCatalog jfr = SettingsCatalog.of(List.of(JfrSettings.SELECT, JfrSettings.PIDS));
    assertThat(Privileged.collectors(ALL, jfr.validate(Map.of())))
        .doesNotContain("jfr")
        .contains("marker");
    assertThat(Privileged.collectors(ALL, jfr.validate(Map.of("jfr.pids", "1")))).contains("jfr");
    assertThat(Privileged.collectors(ALL, jfr.validate(Map.of("jfr.select", "all"))))
        .contains("jfr");
  }

  @Test
  void nothingHeldNamesEveryNeed() {
    PrivilegeCheck c = PrivilegeCheck.of(Set.of(), Set.of("sched"));
    assertThat(c.held()).isEqualTo("none");
    assertThat(c.missing())
        .extracting(PrivilegeCheck.Missing::describe)
        .containsExactly(
            "CAP_BPF for sched: load BPF programs and create their maps (EPERM without it)",
            "CAP_PERFMON for sched: attach tracing programs: tracepoints, tp_btf (EPERM without"
                + " it)");
  }
}
