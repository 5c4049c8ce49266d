package dev.aiprof.bpf.blockio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Btf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * blockio.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's
 * BTF (no privileges needed to open it) and fail on any difference in struct layout or enum value.
 */
class BlockIoLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/blockio.h");

  private static BpfObject open() {
    return BpfObject.openResource(BlockIoProbe.class, "blockio");
  }

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = open()) {
      AbiCheck.structsMatch(obj, HEADER, BlockIoAbi.STRUCTS);
    }
  }

  @Test
  void structSizesMatchTheBtf() {
    try (BpfObject obj = open()) {
      for (var s : BlockIoAbi.STRUCTS) {
        Btf.Struct c = obj.btf().struct(s.name()).orElseThrow();
        assertThat(s.layout().byteSize()).as("size of struct %s", s.name()).isEqualTo(c.size());
      }
      assertThat(BlockIoRequest.SIZE).isEqualTo(64);
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = open()) {
      AbiCheck.enumsMatch(obj, HEADER, BlockIoAbi.ENUMS);
      assertThat(BlockIoDir.values()).hasSize(BlockIoAbi.DIRS);
      assertThat(BlockIoOrigin.values()).hasSize(BlockIoAbi.ORIGINS);
      assertThat(BlockIoCounter.values()).hasSize(BlockIoAbi.COUNTERS);
    }
  }

  @Test
  void mapsTheJavaSideUsesKeepTheirKeyAndValueSizes() {
    try (BpfObject obj = open()) {
      assertThat(obj.map("stats").keySize()).isEqualTo(BlockIoAbi.KEY.layout().byteSize());
      assertThat(obj.map("stats").valueSize()).isEqualTo(BlockIoAbi.STATS.layout().byteSize());
      assertThat(obj.map("inflight").keySize()).isEqualTo(8);
      assertThat(obj.map("inflight").valueSize()).isEqualTo(BlockIoAbi.REQ.layout().byteSize());
      assertThat(obj.map("counters").maxEntries()).isEqualTo(BlockIoAbi.COUNTERS);
      assertThat(obj.map("events").maxEntries()).isEqualTo(BlockIoConfig.defaults().ringBytes());
      assertThat(obj.map("inflight").maxEntries())
          .isEqualTo(BlockIoConfig.defaults().inflightEntries());
      assertThat(obj.map("stats").maxEntries()).isEqualTo(BlockIoConfig.defaults().statsEntries());
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizes() {
    try (BpfObject obj = open()) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("slow_ns").size()).isEqualTo(8);
      assertThat(rodata.get("finish_at_done").size()).isEqualTo(1);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
    }
  }

  @Test
  void everyHookHasAProgramInBothVariants() {
    try (BpfObject obj = open()) {
      for (String tp : new BlockIoProbe.Hooks("block_io_start", true).tracepoints().subList(0, 4)) {
        assertThat(obj.programs()).extracting(BpfProgram::name).contains(program(tp, "_btf"));
      }
      assertThat(obj.programs())
          .extracting(BpfProgram::name)
          .containsExactlyInAnyOrder(
              "blockio_start_btf",
              "blockio_insert_btf",
              "blockio_issue_btf",
              "blockio_complete_btf",
              "blockio_done_btf",
              "blockio_start_raw",
              "blockio_insert_raw",
              "blockio_issue_raw",
              "blockio_complete_raw",
              "blockio_done_raw");
    }
  }

  private static String program(String tp, String suffix) {
    return switch (tp) {
      case "block_io_start" -> "blockio_start" + suffix;
      case "block_rq_issue" -> "blockio_issue" + suffix;
      case "block_rq_complete" -> "blockio_complete" + suffix;
      default -> "blockio_done" + suffix;
    };
  }
}
