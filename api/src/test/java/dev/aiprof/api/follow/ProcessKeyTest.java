package dev.aiprof.api.follow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A process's key from the kernel's start time in nanoseconds, as /proc/PID/stat divides it. */
class ProcessKeyTest {
  @Test
  void bootNanosecondsBecomeClockTicksRoundedDown() {
    assertThat(ProcessKey.ofBootNs(7, 0)).isEqualTo(new ProcessKey(7, 0));
    assertThat(ProcessKey.ofBootNs(7, 9_999_999)).isEqualTo(new ProcessKey(7, 0));
    assertThat(ProcessKey.ofBootNs(7, 10_000_000)).isEqualTo(new ProcessKey(7, 1));
    assertThat(ProcessKey.ofBootNs(7, 123_456_789_012L)).isEqualTo(new ProcessKey(7, 12_345));
  }

  @Test
  void theSamePidStartedAtAnotherTickIsAnotherProcess() {
    assertThat(ProcessKey.ofBootNs(7, 10_000_000)).isNotEqualTo(ProcessKey.ofBootNs(7, 20_000_000));
    assertThat(ProcessKey.ofBootNs(7, 10_000_000)).isNotEqualTo(ProcessKey.ofBootNs(8, 10_000_000));
  }
}
