package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.api.settings.SettingException;
import dev.aiprof.api.settings.SettingsCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedLibrariesTest {
  @Test
  void parsesACommaSeparatedList(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.so"), "");
    Path b = Files.writeString(dir.resolve("b.so"), "");
    assertThat(MarkerCollector.pinnedLibraries(libraries(a + ", " + b + ",")))
        .containsExactly(a, b);
    assertThat(MarkerCollector.pinnedLibraries(libraries(""))).isEmpty();
  }

  @Test
  void relativePathsAreRefusedBySettingsValidation() {
    assertThatThrownBy(() -> libraries("libaiprof.so"))
        .isInstanceOf(SettingException.class)
        .hasMessageContaining("marker.libraries")
        .hasMessageContaining("absolute");
  }

  /** The value of {@code marker.libraries} as the agent validates it. */
  private static List<Path> libraries(String value) {
    return SettingsCatalog.of(MarkerSettings.ALL)
        .validate(Map.of(MarkerSettings.LIBRARIES.key(), value))
        .get(MarkerSettings.LIBRARIES);
  }

  @Test
  void aMissingFileIsAnErrorNamingTheSettingAndTheFix(@TempDir Path dir) {
    assertThatThrownBy(
            () -> MarkerCollector.pinnedLibraries(libraries(dir.resolve("nope.so").toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("marker.libraries")
        .hasMessageContaining("nope.so")
        .hasMessageContaining("marker/target/libaiprof.so");
  }
}
