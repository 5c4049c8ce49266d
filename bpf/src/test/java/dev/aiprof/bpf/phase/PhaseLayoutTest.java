package dev.aiprof.bpf.phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * phase.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed to open it) and fail on any difference in struct layout or enum value.
 */
class PhaseLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/phase.h");

  @Test
  void eventLayoutMatchesTheHeader() {
    try (BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase")) {
      Btf.Struct c =
          obj.btf()
              .struct("phase_event")
              .orElseThrow(() -> new AssertionError("struct phase_event is not in the BTF"));
      assertThat(PhaseAbi.EVENT.byteSize()).as("size of struct phase_event").isEqualTo(c.size());
      assertThat(members())
          .as("members of struct phase_event (name, offset, size)")
          .containsExactlyElementsOf(c.members());
      assertThat(PhaseEventView.SIZE).isEqualTo(88);
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase")) {
      AbiCheck.enumsMatch(obj, HEADER, PhaseAbi.ENUMS);
      assertThat(MarkerOrigin.values()).hasSize(PhaseAbi.ORIGINS);
      assertThat(PhaseCounter.values()).hasSize(PhaseAbi.COUNTERS);
    }
  }

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase")) {
      AbiCheck.structsMatch(obj, HEADER, PhaseAbi.STRUCTS);
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizes() {
    try (BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("follow").size()).isEqualTo(1);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
    }
  }

  @Test
  void sharedProbeMapsKeepTheirNamesAndSizes() {
    try (BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase")) {
      assertThat(obj.map("counters").maxEntries()).isEqualTo(PhaseAbi.COUNTERS);
      assertThat(obj.map("counters").perCpu()).isTrue();
      assertThat(obj.map("events").type()).as("BPF_MAP_TYPE_RINGBUF").isEqualTo(27);
      assertThat(obj.map("events").maxEntries()).isEqualTo(PhaseConfig.defaults().ringBytes());
    }
  }

  @Test
  void followMapsAreDeclaredLikeTheSchedulerProbes() {
    try (BpfObject phase = BpfObject.openResource(PhaseProbe.class, "phase");
        BpfObject sched = BpfObject.openResource(PhaseProbe.class, "sched")) {
      for (String name : List.of("followed", "follow_generation")) {
        assertThat(phase.map(name).type()).as(name).isEqualTo(sched.map(name).type());
        assertThat(phase.map(name).keySize()).as(name).isEqualTo(sched.map(name).keySize());
        assertThat(phase.map(name).valueSize()).as(name).isEqualTo(sched.map(name).valueSize());
        assertThat(phase.map(name).maxEntries()).as(name).isEqualTo(sched.map(name).maxEntries());
        assertThat(phase.map(name).mapFlags()).as(name).isEqualTo(sched.map(name).mapFlags());
      }
      assertThat(sched.map("follow_generation").mapFlags() & BpfMap.MMAPABLE)
          .as("follow_generation is mmapable: user space bumps it with an atomic add")
          .isNotZero();
    }
  }

  private static List<Btf.Member> members() {
    List<Btf.Member> out = new ArrayList<>();
    for (MemoryLayout m : PhaseAbi.EVENT.memberLayouts()) {
      if (!(m instanceof PaddingLayout)) {
        out.add(
            new Btf.Member(
                m.name().orElseThrow(),
                PhaseAbi.offset(PhaseAbi.EVENT, m.name().get()),
                m.byteSize()));
      }
    }
    return out;
  }
}
