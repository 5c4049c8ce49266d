package dev.aiprof.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.reference.serve.ServerSettings;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Flags of the reference processes: known keys only, values checked, the fix named. */
class FlagsTest {
  @Test
  void parsesBothFormsAndDefaults() {
    Flags f =
        Flags.parse(
            new String[] {"server", "--workers", "2", "--inject=cpu"}, 1, ServerSettings.KEYS);
    ServerSettings s = ServerSettings.from(f);
    assertThat(s.workers()).isEqualTo(2);
    assertThat(s.inject()).isEqualTo("cpu");
    assertThat(s.injectPhase()).isEqualTo("embed");
    assertThat(s.cpu()).isEqualTo(Runtime.getRuntime().availableProcessors() - 1);
    assertThat(s.engine()).isEqualTo("java");
  }

  @Test
  void rejectsUnknownKeysAndBadValuesWithTheFix() {
    assertThatThrownBy(
            () -> Flags.parse(new String[] {"x", "--wokers", "2"}, 1, ServerSettings.KEYS))
        .isInstanceOf(Flags.BadFlag.class)
        .hasMessageStartingWith("unknown flag --wokers; known: --traces-endpoint");
    Flags f =
        Flags.parse(
            new String[] {"x", "--workers", "0", "--inject", "gpu"}, 1, ServerSettings.KEYS);
    assertThatThrownBy(() -> f.integer("workers", 1, 1, 16))
        .hasMessage("--workers 0 is out of range: use 1 to 16");
    assertThatThrownBy(() -> f.choice("inject", "none", Set.of("none")))
        .hasMessage("invalid --inject 'gpu': use one of [none]");
    assertThatThrownBy(() -> Flags.parse(new String[] {"x", "--seed"}, 1, ServerSettings.KEYS))
        .hasMessage("--seed needs a value");
  }
}
