package dev.aiprof.testing.backends;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaRuntimesTest {
  @Test
  void majorVersionFromTheReleaseFile() {
    assertThat(JavaRuntimes.major("IMPLEMENTOR=\"Debian\"\nJAVA_VERSION=\"17.0.15\"\n"))
        .isEqualTo(17);
    assertThat(JavaRuntimes.major("JAVA_VERSION=\"25\"\nJAVA_RUNTIME_VERSION=\"25+36\"\n"))
        .isEqualTo(25);
    assertThat(JavaRuntimes.major("JAVA_VERSION=\"1.8.0_452\"\n")).isEqualTo(8);
    assertThat(JavaRuntimes.major("IMPLEMENTOR=\"x\"\n")).isEqualTo(-1);
  }
}
