package dev.aiprof.bpf.phase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryIdTest {
  @Test
  void decodesGlibcDeviceNumbers() {
    // makedev(0xfe, 0x01) and makedev(259, 300): the high minor bits sit above bit 20.
    assertThat(LibraryId.major(0xfe01L)).isEqualTo(0xfe);
    assertThat(LibraryId.minor(0xfe01L)).isEqualTo(0x01);
    long big = (300L & 0xff) | ((259L & 0xfff) << 8) | ((300L & ~0xffL) << 12);
    assertThat(LibraryId.major(big)).isEqualTo(259);
    assertThat(LibraryId.minor(big)).isEqualTo(300);
  }

  @Test
  void theSameFileThroughALinkHasTheSameId(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("libx.so"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link.so"), file);
    Path other = Files.writeString(dir.resolve("liby.so"), "y");
    assertThat(LibraryId.of(link)).isEqualTo(LibraryId.of(file));
    assertThat(LibraryId.of(other)).isNotEqualTo(LibraryId.of(file));
    assertThat(LibraryId.of(file).toString()).matches("[0-9a-f]+:[0-9a-f]+ \\d+");
  }
}
