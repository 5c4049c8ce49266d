package dev.aiprof.bpf.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.testing.CudaFixtures;
import dev.aiprof.testing.Requires;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported functions of real ELF files, compared with what {@code nm -D} would list. */
class ElfExportsTest {
  @Test
  @Requires(files = "/usr/local/cuda-13.0/lib64/libcudart.so.13")
  void theCudaRuntimeExportsEveryRuntimeFunctionTheProbeKnows() throws IOException {
    Set<String> got = ElfExports.of(CudaFixtures.CUDART);
    for (CudaSymbol s : CudaSymbol.RUNTIME) {
      assertThat(got).as("libcudart.so.13 exports").contains(s.name());
    }
    assertThat(got).doesNotContain("cuLaunchKernel");
  }

  @Test
  @Requires(tools = "gcc")
  void theFakeDriverExportsItsFunctionsAndNotTheMissingVariants() throws IOException {
    Set<String> got = ElfExports.of(CudaFixtures.fakeDriver());
    assertThat(got)
        .contains("cuLaunchKernel", "cuMemcpyHtoD_v2", "cuStreamSynchronize", "cuMemAlloc_v2")
        .doesNotContain("cuLaunchKernel_ptsz", "wait_us");
  }

  @Test
  void aFileThatIsNoElfIsRefused(@TempDir Path tmp) throws IOException {
    Path f = Files.writeString(tmp.resolve("x.so"), "not an elf file at all, just text".repeat(4));
    assertThatThrownBy(() -> ElfExports.of(f)).isInstanceOf(IOException.class);
  }

  @Test
  void sectionOffsetsOutsideTheFileAreRefused() {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1);
    b.putLong(0x28, 1 << 20).putShort(0x3a, (short) 64).putShort(0x3c, (short) 1);
    assertThatThrownBy(() -> ElfExports.parse(b)).hasMessageContaining("outside the file");
  }
}
