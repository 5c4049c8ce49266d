package dev.aiprof.agent.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java side of libaiprofcap.so against its header, capdrop.h (the ABI): the states in order,
 * the table bound, and the built library loads and answers the same ABI number (no drop is run:
 * this JVM keeps its capabilities).
 */
class CapDropAbiTest {
  private static final Path HEADER = Path.of("src/main/native/capdrop.h");

  @Test
  void theStatesAreTheHeadersInOrder() throws Exception {
    Matcher m =
        Pattern.compile("AIPROF_CAPDROP_([A-Z_]+) = (\\d+),").matcher(Files.readString(HEADER));
    List<String> names = new ArrayList<>();
    while (m.find()) {
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(names.size());
      names.add(m.group(1));
    }
    assertThat(names)
        .containsExactlyElementsOf(
            Arrays.stream(CapDropLibrary.State.values()).map(Enum::name).toList());
  }

  @Test
  void theThreadTableBoundIsTheHeaders() throws Exception {
    assertThat(Files.readString(HEADER))
        .contains("#define AIPROF_CAPDROP_MAX_THREADS " + CapDropLibrary.MAX_THREADS + "\n");
  }

  @Test
  void theBuiltLibraryLoadsWithTheSameAbi() {
    Path lib = CapDropLibrary.shipped();
    assertThat(lib).exists().hasFileName("libaiprofcap.so");
    assertThat(CapDropLibrary.load(lib)).isNotNull();
  }
}
