package dev.aiprof.bpf.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cuda.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed to open it) and fail on any difference in struct layout or enum value.
 */
class CudaLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/cuda.h");

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      AbiCheck.structsMatch(obj, HEADER, CudaAbi.STRUCTS);
    }
  }

  @Test
  void structSizesMatchTheBtf() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      for (var s : CudaAbi.STRUCTS) {
        Btf.Struct c = obj.btf().struct(s.name()).orElseThrow();
        assertThat(s.layout().byteSize()).as("size of struct %s", s.name()).isEqualTo(c.size());
      }
      assertThat(CudaWait.SIZE).isEqualTo(48);
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      AbiCheck.enumsMatch(obj, HEADER, CudaAbi.ENUMS);
      assertThat(CudaCall.values()).hasSize(CudaAbi.CALLS);
      assertThat(CudaDir.values()).hasSize(CudaAbi.DIRS);
      assertThat(CudaCounter.values()).hasSize(CudaAbi.COUNTERS);
    }
  }

  @Test
  void mapsTheJavaSideUsesKeepTheirKeyAndValueSizes() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      assertThat(obj.map("stats").keySize()).isEqualTo(CudaAbi.KEY.layout().byteSize());
      assertThat(obj.map("stats").valueSize()).isEqualTo(CudaAbi.STATS.layout().byteSize());
      assertThat(obj.map("sync_hist").keySize()).isEqualTo(CudaAbi.HIST_KEY.layout().byteSize());
      assertThat(obj.map("sync_hist").valueSize()).isEqualTo(CudaAbi.HIST.layout().byteSize());
      assertThat(obj.map("allocs").keySize()).isEqualTo(CudaAbi.ALLOC_KEY.layout().byteSize());
      assertThat(obj.map("counters").maxEntries()).isEqualTo(CudaAbi.COUNTERS);
      assertThat(obj.map("events").maxEntries()).isEqualTo(CudaConfig.defaults().ringBytes());
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizes() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("wait_event_ns").size()).isEqualTo(8);
      assertThat(rodata.get("slot_shift").size()).isEqualTo(4);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
    }
  }

  @Test
  void everySymbolUsesAProgramOfTheObject() {
    try (BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda")) {
      for (CudaApi api : CudaApi.values()) {
        for (CudaSymbol s : CudaSymbol.of(api)) {
          assertThat(obj.program(s.entryProgram())).as(s.name()).isNotNull();
          assertThat(s.call().api()).as(s.name()).isEqualTo(api);
          assertThat(s.cookie() & 0xff).isEqualTo(s.call().code());
        }
      }
    }
  }
}
