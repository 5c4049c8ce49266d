package dev.aiprof.bpf.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** profile.h is the ABI: the Java mirror is checked against the compiled object's BTF. */
class ProfileLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/profile.h");

  @Test
  void eventLayoutAndFieldTypesMatchTheHeader() {
    try (BpfObject obj = BpfObject.openResource(ProfileProbe.class, "profile")) {
      Btf.Struct c = obj.btf().struct("profile_event").orElseThrow();
      assertThat(ProfileAbi.EVENT.byteSize()).isEqualTo(c.size());
      assertThat(ProfileEvent.SIZE).isEqualTo(48);
      AbiCheck.structsMatch(obj, HEADER, ProfileAbi.STRUCTS);
      assertThat(obj.btf().struct("offcpu_record").orElseThrow().size())
          .as("the off-CPU ring record: event then stacks")
          .isEqualTo(ProfileAbi.OFFCPU_SIZE);
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(ProfileProbe.class, "profile")) {
      AbiCheck.enumsMatch(obj, HEADER, ProfileAbi.ENUMS);
      assertThat(ProfileCounter.values()).hasSize(ProfileAbi.COUNTERS);
    }
  }

  @Test
  void mapsAndConstantsTheLoaderSets() {
    try (BpfObject obj = BpfObject.openResource(ProfileProbe.class, "profile");
        BpfObject sched = BpfObject.openResource(ProfileProbe.class, "sched")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("self_tgid").size()).isEqualTo(4);
      assertThat(rodata.get("min_offcpu_ns").size()).isEqualTo(8);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
      for (String name : List.of("stacks_0", "stacks_1")) {
        assertThat(obj.map(name).type()).as("BPF_MAP_TYPE_STACK_TRACE").isEqualTo(7);
        assertThat(obj.map(name).valueSize()).isEqualTo(ProfileAbi.STACK_DEPTH * 8);
      }
      assertThat(obj.map("stack_gen").valueSize()).as("the generation, a u32").isEqualTo(4);
      assertThat(obj.map("counters").maxEntries()).isEqualTo(ProfileAbi.COUNTERS);
      for (String name : List.of("followed", "follow_generation")) {
        assertThat(obj.map(name).type()).as(name).isEqualTo(sched.map(name).type());
        assertThat(obj.map(name).valueSize()).as(name).isEqualTo(sched.map(name).valueSize());
        assertThat(obj.map(name).maxEntries()).as(name).isEqualTo(sched.map(name).maxEntries());
        assertThat(obj.map(name).mapFlags()).as(name).isEqualTo(sched.map(name).mapFlags());
      }
    }
  }
}
