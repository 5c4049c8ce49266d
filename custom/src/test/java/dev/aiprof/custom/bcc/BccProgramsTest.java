package dev.aiprof.custom.bcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BccProgramsTest {
  @Test
  void refusesWithoutHeadersOfTheRunningKernelAndNamesTheFix(@TempDir Path root) throws Exception {
    // another release's headers do not count
    Path other =
        Files.createDirectories(root.resolve("usr/src/linux-headers-6.1.0-9-amd64/include/linux"));
    Files.writeString(other.resolve("kconfig.h"), "");
    Files.writeString(other.getParent().getParent().resolve("Makefile"), "");
    KernelHeaders h = KernelHeaders.detect(root, "6.18.44-test");
    assertThat(h.present()).isFalse();
    FakeBcc bcc = new FakeBcc();
    assertThatThrownBy(() -> new BccPrograms(bcc, h).load("int x;"))
        .isInstanceOf(BccRefusedException.class)
        .hasMessageContaining("no headers for kernel 6.18.44-test")
        .hasMessageContaining("lib/modules/6.18.44-test/build")
        .hasMessageContaining("apt-get install linux-headers-6.18.44-test")
        .hasMessageContaining("bpftrace");
    assertThat(bcc.compiled).isEmpty();
  }

  @Test
  void compilesWhereTheHeadersArePresent(@TempDir Path root) throws Exception {
    Path build =
        Files.createDirectories(root.resolve("lib/modules/6.18.44-test/build/include/linux"));
    Files.writeString(build.resolve("kconfig.h"), "");
    Files.writeString(build.getParent().getParent().resolve("Makefile"), "");
    KernelHeaders h = KernelHeaders.detect(root, "6.18.44-test");
    assertThat(h.present()).isTrue();
    assertThat(h.describe()).contains("BCC C programs can load");
    FakeBcc bcc = new FakeBcc();
    try (BccPrograms.Module m = new BccPrograms(bcc, h).load("int x;")) {
      assertThat(bcc.compiled).containsExactly("int x;");
    }
    assertThat(bcc.destroyed).containsExactly(42L);
  }
}
