package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sched.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed to open it) and fail on any difference in struct layout, field type
 * (integer width, signedness, array length) or enumerator, either way.
 */
class SchedLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/sched.h");

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
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      AbiCheck.enumsMatch(obj, HEADER, SchedAbi.ENUMS);
      assertThat(OffCpuKind.values()).hasSize(SchedAbi.OFF_KINDS);
      assertThat(SchedCounter.values()).hasSize(SchedAbi.COUNTERS);
    }
  }

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      AbiCheck.structsMatch(obj, HEADER, SchedAbi.STRUCTS);
    }
  }

  @Test
  void mapsHoldTheMirroredStructs() {
    try (BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched")) {
      assertThat(obj.map("cgroup_stats").keySize()).isEqualTo(SchedAbi.CGROUP_KEY.byteSize());
      assertThat(obj.map("cgroup_stats").valueSize()).isEqualTo(SchedAbi.CGROUP_STATS.byteSize());
      assertThat(obj.map("thread_stats").keySize()).as("tid, read as an int").isEqualTo(4);
      assertThat(obj.map("thread_stats").valueSize()).isEqualTo(SchedAbi.THREAD_STATS.byteSize());
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
