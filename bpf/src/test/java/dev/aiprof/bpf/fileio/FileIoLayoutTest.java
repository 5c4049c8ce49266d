package dev.aiprof.bpf.fileio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.AbiCheck;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * fileio.h is the ABI; the Java side mirrors it by hand. These tests read the compiled object's BTF
 * (no privileges needed to open it) and fail on any difference in struct layout or enum value.
 */
class FileIoLayoutTest {
  private static final Path HEADER = Path.of("src/main/bpf/fileio.h");

  @Test
  void everyFieldHasTheHeadersTypeWidthAndSignedness() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      AbiCheck.structsMatch(obj, HEADER, FileIoAbi.STRUCTS);
    }
  }

  @Test
  void structSizesMatchTheBtf() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      for (var s : FileIoAbi.STRUCTS) {
        Btf.Struct c = obj.btf().struct(s.name()).orElseThrow();
        assertThat(s.layout().byteSize()).as("size of struct %s", s.name()).isEqualTo(c.size());
      }
      assertThat(SlowRead.SIZE).isEqualTo(80);
    }
  }

  @Test
  void everyEnumeratorIsMirroredBothWays() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      AbiCheck.enumsMatch(obj, HEADER, FileIoAbi.ENUMS);
      assertThat(FileIoOp.values()).hasSize(FileIoAbi.OPS);
      assertThat(FileIoCause.values()).hasSize(FileIoAbi.CAUSES);
      assertThat(FileIoCounter.values()).hasSize(FileIoAbi.COUNTERS);
    }
  }

  @Test
  void mapsTheJavaSideUsesKeepTheirKeyAndValueSizes() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      assertThat(obj.map("stats").keySize()).isEqualTo(FileIoAbi.KEY.layout().byteSize());
      assertThat(obj.map("stats").valueSize()).isEqualTo(FileIoAbi.STATS.layout().byteSize());
      assertThat(obj.map("slots").keySize()).isEqualTo(FileIoAbi.SLOT_KEY.layout().byteSize());
      assertThat(obj.map("slots").valueSize()).isEqualTo(FileIoAbi.SLOT.layout().byteSize());
      assertThat(obj.map("counters").maxEntries()).isEqualTo(FileIoAbi.COUNTERS);
      assertThat(obj.map("events").maxEntries()).isEqualTo(FileIoConfig.defaults().ringBytes());
      assertThat(obj.map("stats").maxEntries()).isEqualTo(FileIoConfig.defaults().processEntries());
      assertThat(obj.map("slots").maxEntries()).isEqualTo(FileIoConfig.defaults().slotEntries());
    }
  }

  @Test
  void constantsTheLoaderSetsExistWithTheirSizes() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      Map<String, Btf.Var> rodata = obj.btf().sectionVars(".rodata");
      assertThat(rodata.get("self_tgid").size()).isEqualTo(4);
      assertThat(rodata.get("slow_read_ns").size()).isEqualTo(8);
      assertThat(rodata.get("slot_shift").size()).isEqualTo(4);
      assertThat(rodata.get("page_shift").size()).isEqualTo(4);
      assertThat(rodata.get("wakeup_bytes").size()).isEqualTo(8);
    }
  }

  @Test
  void everyOpHasAnEntryAndAnExitProgram() {
    try (BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio")) {
      for (FileIoOp op : FileIoOp.values()) {
        assertThat(obj.program("fileio_enter_" + op.syscall())).as(op.syscall()).isNotNull();
        assertThat(obj.program("fileio_exit_" + op.syscall())).as(op.syscall()).isNotNull();
      }
      assertThat(obj.program("fileio_page_add")).isNotNull();
      assertThat(obj.program("fileio_major_fault")).isNotNull();
    }
  }
}
