package dev.aiprof.exporters.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FileSettingsTest {
  @Test
  void sizesWithUnits() {
    assertThat(FileSettings.size("k", "1048576")).isEqualTo(1 << 20);
    assertThat(FileSettings.size("k", "512KiB")).isEqualTo(512 << 10);
    assertThat(FileSettings.size("k", "16MiB")).isEqualTo(16 << 20);
    assertThat(FileSettings.size("k", "16m")).isEqualTo(16 << 20);
    assertThat(FileSettings.size("k", "2GB")).isEqualTo(2L << 30);
  }

  @Test
  void aBadSizeNamesTheKeyAndTheForm() {
    assertThatThrownBy(() -> FileSettings.size(FileSettings.MAX_FILE, "lots"))
        .hasMessage(
            "invalid aiprof.exporter.file.max-file-size 'lots': use a number of bytes"
                + " with an optional unit (KiB, MiB, GiB), e.g. 16MiB");
  }

  @Test
  void theTotalMustHoldOneFilePerSignal() {
    assertThatThrownBy(() -> new FileSettings(java.nio.file.Path.of("/tmp"), 1 << 20, 1 << 20))
        .hasMessageContaining("raise aiprof.exporter.file.max-total-size");
  }
}
