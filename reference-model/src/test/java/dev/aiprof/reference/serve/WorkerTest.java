package dev.aiprof.reference.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The prompt a worker builds from the retrieved passage and the question. */
class WorkerTest {
  @Test
  void thePassageThenTheQuestionWithoutItsBeginningToken() {
    assertThat(Worker.prompt(new int[] {1, 10, 11}, new int[] {1, 20, 21}))
        .containsExactly(1, 10, 11, 20, 21);
    assertThat(Worker.prompt(new int[] {1, 10}, new int[0])).containsExactly(1, 10);
  }
}
