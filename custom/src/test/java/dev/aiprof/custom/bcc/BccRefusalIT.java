package dev.aiprof.custom.bcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.testing.Requires;
import org.junit.jupiter.api.Test;

/** With the real libbcc on this host: no headers for the running kernel, so a clear refusal. */
@Requires(files = "/usr/lib/x86_64-linux-gnu/libbcc.so.0")
class BccRefusalIT {
  static final String PROGRAM =
      "int count(void *ctx) { return 0; }\n"; // any program: BCC would include kernel headers

  @Test
  void loadingABccProgramWithoutTheKernelsHeadersIsRefusedClearly() {
    KernelHeaders h = KernelHeaders.ofHost();
    BccPrograms programs = new BccPrograms(JnaBcc.load(), h);
    if (h.present()) {
      try (BccPrograms.Module m = programs.load(PROGRAM)) {
        assertThat(m).isNotNull();
      }
      return;
    }
    assertThatThrownBy(() -> programs.load(PROGRAM))
        .isInstanceOf(BccRefusedException.class)
        .hasMessageContaining("no headers for kernel " + h.release())
        .hasMessageContaining("/lib/modules/" + h.release() + "/build")
        .hasMessageContaining("apt-get install linux-headers-" + h.release());
  }
}
