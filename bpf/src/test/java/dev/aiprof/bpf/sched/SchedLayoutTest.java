package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sched.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed to open it) and fail on any difference in struct layout or enum value.
 */
class SchedLayoutTest {

  static Stream<StructLayout> layouts() {
    return Stream.of(
        SchedAbi.CGROUP_KEY, SchedAbi.CGROUP_STATS, SchedAbi.THREAD_STATS, SchedAbi.EVENT);
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void javaLayoutMatchesTheHeader(StructLayout java) {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      String name = java.name().orElseThrow();
      Btf.Struct c =
          obj.btf()
              .struct(name)
              .orElseThrow(
                  () -> new AssertionError("struct " + name + " is not in sched.bpf.o's BTF"));
      assertThat(java.byteSize()).as("size of struct %s", name).isEqualTo(c.size());
      assertThat(members(java))
          .as("members of struct %s (name, offset, size)", name)
          .containsExactlyElementsOf(c.members());
    }
  }

  @Test
  void enumsMatchTheHeader() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      Btf btf = obj.btf();
      Map<String, Long> kinds = btf.enumValues("sched_off_kind");
      for (OffCpuKind k : OffCpuKind.values()) {
        assertThat(kinds).containsEntry("SCHED_OFF_" + k.name(), (long) k.code());
      }
      assertThat(kinds).containsEntry("SCHED_OFF_KINDS", (long) SchedAbi.OFF_KINDS);
      Map<String, Long> counters = btf.enumValues("sched_counter");
      for (SchedCounter c : SchedCounter.values()) {
        assertThat(counters).containsEntry("SCHED_CNT_" + c.name(), (long) c.index());
      }
      assertThat(counters).hasSize(SchedCounter.values().length);
      Map<String, Long> limits = btf.enumValues("sched_limits");
      assertThat(limits)
          .containsEntry("SCHED_HIST_SLOTS", (long) SchedAbi.HIST_SLOTS)
          .containsEntry("SCHED_COUNTERS", (long) SchedAbi.COUNTERS);
      assertThat(OffCpuKind.values()).hasSize(SchedAbi.OFF_KINDS);
      assertThat(btf.enumValues("sched_event_flag"))
          .containsEntry("SCHED_EVENT_FOLLOWED", (long) SchedAbi.EVENT_FOLLOWED)
          .containsEntry("SCHED_EVENT_REBUILT", (long) SchedAbi.EVENT_REBUILT);
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizes() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.keySet())
          .contains("self_tgid", "min_event_ns", "trace_followed", "wakeup_bytes");
      assertThat(rodata.get("min_event_ns").size()).isEqualTo(8);
      assertThat(rodata.get("self_tgid").size()).isEqualTo(4);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
    }
  }

  @Test
  void sharedProbeMapsKeepTheirNamesAndSizes() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      assertThat(obj.map("counters").maxEntries()).isEqualTo(SchedAbi.COUNTERS);
      assertThat(obj.map("counters").valueSize()).isEqualTo(8);
      assertThat(obj.map("counters").perCpu()).isTrue();
      assertThat(obj.map("events").type()).as("BPF_MAP_TYPE_RINGBUF").isEqualTo(27);
      assertThat(obj.map("events").maxEntries())
          .isEqualTo(SchedConfig.builder().build().ringBytes());
    }
  }

  private static List<Btf.Member> members(GroupLayout g) {
    List<Btf.Member> out = new ArrayList<>();
    for (MemoryLayout m : g.memberLayouts()) {
      if (!(m instanceof PaddingLayout)) {
        out.add(
            new Btf.Member(
                m.name().orElseThrow(),
                g.byteOffset(MemoryLayout.PathElement.groupElement(m.name().get())),
                m.byteSize()));
      }
    }
    return out;
  }
}
