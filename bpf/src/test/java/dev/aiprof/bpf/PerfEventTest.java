package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pure parts of PerfEvent: no kernel needed. */
class PerfEventTest {
  @Test
  void parsesTheKernelsCpuLists() {
    assertThat(PerfEvent.parseCpuList("0-3,8,10-11\n")).containsExactly(0, 1, 2, 3, 8, 10, 11);
    assertThat(PerfEvent.parseCpuList("0")).containsExactly(0);
    assertThat(PerfEvent.parseCpuList("")).isEmpty();
  }

  @Test
  void frequencyMustBePositive() {
    assertThatThrownBy(() -> PerfEvent.cpuClock(0, 0)).hasMessageContaining("frequencyHz");
  }
}
