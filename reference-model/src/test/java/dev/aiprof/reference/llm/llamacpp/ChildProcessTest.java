package dev.aiprof.reference.llm.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildProcessTest {
  @Test
  void answersAreTheMarkedLinesAndTheEndIsReportedWithStderr() throws IOException {
    String script = "echo noise; echo '@aiprof ready'; echo 'it broke' >&2; exit 3";
    try (ChildProcess c = new ChildProcess(List.of("sh", "-c", script))) {
      assertThat(c.call(null, Duration.ofSeconds(10))).isEqualTo("ready");

      assertThatThrownBy(() -> c.call(null, Duration.ofSeconds(10)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("ended (exit 3)")
          .hasMessageContaining("it broke");
    }
  }

  @Test
  void aChildThatDoesNotAnswerInTimeIsKilled() throws IOException {
    try (ChildProcess c = new ChildProcess(List.of("sleep", "60"))) {
      ProcessHandle child = ProcessHandle.of(c.pid()).orElseThrow();

      assertThatThrownBy(() -> c.call(null, Duration.ofMillis(200)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("did not answer within");
      assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(5));
    }
  }
}
