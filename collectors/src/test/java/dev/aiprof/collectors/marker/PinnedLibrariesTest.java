package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedLibrariesTest {
  @Test
  void parsesACommaSeparatedList(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.so"), "");
    Path b = Files.writeString(dir.resolve("b.so"), "");
    assertThat(MarkerCollector.pinnedLibraries(a + ", " + b + ",")).containsExactly(a, b);
    assertThat(MarkerCollector.pinnedLibraries("")).isEmpty();
  }

  @Test
  void aMissingFileIsAnErrorNamingTheSettingAndTheFix(@TempDir Path dir) {
    assertThatThrownBy(() -> MarkerCollector.pinnedLibraries(dir.resolve("nope.so").toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("marker.libraries")
        .hasMessageContaining("nope.so")
        .hasMessageContaining("marker/target/libaiprof.so");
  }
}
