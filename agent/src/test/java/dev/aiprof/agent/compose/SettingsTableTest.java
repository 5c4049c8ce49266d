package dev.aiprof.agent.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.profile.Repo;
import dev.aiprof.pipeline.CollectorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of settings is the agent's catalog, generated: run with {@code
 * -Daiprof.readme.update=true} to write it after changing a setting.
 */
class SettingsTableTest {
  static final String BEGIN = "<!-- settings:begin -->\n";
  static final String END = "<!-- settings:end -->";

  /** The modules the agent ships collectors from. */
  private static boolean shipped(String provider) {
    return provider.startsWith("dev.aiprof.collectors.")
        || provider.startsWith("dev.aiprof.gpu.")
        || provider.startsWith("dev.aiprof.io.")
        || provider.startsWith("dev.aiprof.host.")
        || provider.startsWith("dev.aiprof.custom.")
        || provider.startsWith("dev.aiprof.profiler.");
  }

  @Test
  void theReadmeListsEveryKeyAsDeclared() throws IOException {
    // The agent's own collectors: the test class path also holds test-only ones.
    CollectorCatalog shipped =
        CollectorCatalog.of(
            CollectorCatalog.discover().providers().stream()
                .filter(p -> shipped(p.getClass().getName()))
                .toList());
    String table = AgentSettings.catalog(shipped).markdown();
    Path readme = Repo.root().resolve("README.md");
    String text = Files.readString(readme);
    int from = text.indexOf(BEGIN) + BEGIN.length();
    int to = text.indexOf(END);
    assertThat(from).as("the settings markers in README.md").isGreaterThan(BEGIN.length());
    if (Boolean.getBoolean("aiprof.readme.update")) {
      Files.writeString(readme, text.substring(0, from) + table + text.substring(to));
      text = Files.readString(readme);
      to = text.indexOf(END);
    }
    assertThat(text.substring(from, to))
        .as(
            "README.md's settings table (regenerate: mvn -pl agent test"
                + " -Dtest=SettingsTableTest -Daiprof.readme.update=true)")
        .isEqualTo(table);
  }
}
