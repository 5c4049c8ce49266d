package dev.aiprof.gpu.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.testing.FakeNvml;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The enum against the one list of codes (nvml_returns.def), and NVML's own text for each. */
class NvmlReturnTest {
  private static final Pattern ROW =
      Pattern.compile("NVML_RETURN\\((\\w+), (\\d+), \"([^\"]*)\"\\)");

  private static Map<String, Integer> def() throws IOException {
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m =
        ROW.matcher(
            Files.readString(
                FakeNvml.root().resolve("test-fixtures/fake-nvml/src/nvml_returns.def")));
    while (m.find()) {
      out.put(m.group(1), Integer.parseInt(m.group(2)));
    }
    return out;
  }

  @Test
  void theEnumIsTheListOfCodes() throws IOException {
    Map<String, Integer> java = new LinkedHashMap<>();
    Arrays.stream(NvmlReturn.values()).forEach(r -> java.put(r.name(), r.code()));
    assertThat(java).containsExactlyEntriesOf(def());
  }

  @Test
  void eachCodeHasNvmlsText() {
    try (JnaNvml nvml = FakeLibrary.open("dgxh100", null)) {
      assertThat(nvml.errorString(NvmlReturn.ERROR_GPU_IS_LOST)).isEqualTo("GPU is lost");
      assertThat(nvml.errorString(NvmlReturn.ERROR_INSUFFICIENT_SIZE))
          .isEqualTo("Insufficient Size");
    }
    assertThat(NvmlReturn.of(15)).isEqualTo(NvmlReturn.ERROR_GPU_IS_LOST);
    assertThat(NvmlReturn.of(12345)).isEqualTo(NvmlReturn.ERROR_UNKNOWN);
    assertThat(NvmlReturn.ERROR_GPU_IS_LOST.lost()).isTrue();
  }
}
