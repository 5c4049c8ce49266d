package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.phase.LibraryId;
import org.junit.jupiter.api.Test;

class MappedLibraryTest {
  @Test
  void parsesTheLibraryMapping() {
    assertThat(
            MappedLibrary.parse(
                "7f3c1a2b3000-7f3c1a2b4000 r-xp 00001000 fe:01 1234567"
                    + "                    /opt/aiprof/lib/libaiprof.so"))
        .contains(
            new MappedLibrary(new LibraryId(0xfe, 0x01, 1234567), "/opt/aiprof/lib/libaiprof.so"));
  }

  @Test
  void readsLargeDeviceNumbersAsHex() {
    assertThat(
            MappedLibrary.parse(
                "7f3c1a2b3000-7f3c1a2b4000 r--p 00000000 103:1a 42 /usr/lib/libaiprof.so.1"))
        .map(MappedLibrary::id)
        .contains(new LibraryId(0x103, 0x1a, 42));
  }

  @Test
  void keepsPathsWithSpaces() {
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 08:02 77 /data/my libs/libaiprof.so"))
        .map(MappedLibrary::path)
        .contains("/data/my libs/libaiprof.so");
  }

  @Test
  void ignoresOtherMappings() {
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 08:02 77 /usr/lib/libc.so.6"))
        .isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 rw-p 00000000 00:00 0 ")).isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 rw-p 00000000 00:00 0 [heap]")).isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 08:02 77 /opt/libaiprof.sox"))
        .isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 08:02 77 /opt/mylibaiprof.so"))
        .isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 08:02 77 /opt/libaiprof.so (deleted)"))
        .isEmpty();
    assertThat(MappedLibrary.parse("garbage libaiprof.so")).isEmpty();
    assertThat(MappedLibrary.parse("1000-2000 r-xp 00000000 zz:02 77 /opt/libaiprof.so")).isEmpty();
  }
}
