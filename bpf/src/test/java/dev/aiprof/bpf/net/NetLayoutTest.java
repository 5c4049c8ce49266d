package dev.aiprof.bpf.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * net.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed) and fail on any difference in struct layout or enum value.
 */
class NetLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/net.h");

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = BpfObject.openResource(NetProbe.class, "net")) {
      AbiCheck.structsMatch(obj, HEADER, NetAbi.STRUCTS);
    }
  }

  @Test
  void structSizesMatchTheBtf() {
    try (BpfObject obj = BpfObject.openResource(NetProbe.class, "net")) {
      for (var s : NetAbi.STRUCTS) {
        Btf.Struct c = obj.btf().struct(s.name()).orElseThrow();
        assertThat(s.layout().byteSize()).as("size of struct %s", s.name()).isEqualTo(c.size());
      }
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(NetProbe.class, "net")) {
      AbiCheck.enumsMatch(obj, HEADER, NetAbi.ENUMS);
      assertThat(NetCounter.values()).hasSize(NetAbi.COUNTERS);
    }
  }

  @Test
  void mapsTheJavaSideUsesKeepTheirKeyAndValueSizes() {
    try (BpfObject obj = BpfObject.openResource(NetProbe.class, "net")) {
      assertThat(obj.map("socks").keySize()).isEqualTo(8);
      assertThat(obj.map("socks").valueSize()).isEqualTo(NetAbi.SOCK.layout().byteSize());
      assertThat(obj.map("socks").maxEntries()).isEqualTo(NetConfig.defaults().socketEntries());
      assertThat(obj.map("cgroup_stats").keySize())
          .isEqualTo(NetAbi.CGROUP_KEY.layout().byteSize());
      assertThat(obj.map("cgroup_stats").valueSize())
          .isEqualTo(NetAbi.CGROUP_STATS.layout().byteSize());
      assertThat(obj.map("peers").keySize()).isEqualTo(NetAbi.PEER_KEY.layout().byteSize());
      assertThat(obj.map("peers").valueSize()).isEqualTo(NetAbi.PEER.layout().byteSize());
      assertThat(obj.map("peers").maxEntries()).isEqualTo(NetConfig.defaults().peerEntries());
      assertThat(obj.map("thread_slots").keySize()).isEqualTo(NetAbi.SLOT_KEY.layout().byteSize());
      assertThat(obj.map("thread_slots").valueSize()).isEqualTo(NetAbi.SLOT.layout().byteSize());
      assertThat(obj.map("counters").maxEntries()).isEqualTo(NetAbi.COUNTERS);
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizesAndEveryHookHasItsProgram() {
    try (BpfObject obj = BpfObject.openResource(NetProbe.class, "net")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("slot_shift").size()).isEqualTo(4);
      assertThat(rodata.get("slow_rtt_us").size()).isEqualTo(4);
      for (Map.Entry<String, String> h : NetProbe.HOOKS.entrySet()) {
        assertThat(obj.program(h.getKey()).section()).isEqualTo("tp_btf/" + h.getValue());
      }
      assertThat(obj.programs()).hasSameSizeAs(NetProbe.HOOKS.keySet());
    }
  }
}
