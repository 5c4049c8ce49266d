package dev.aiprof.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.agent.identity.Capabilities.Cap;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
  @Test
  void rootWithFullMaskCanTrace() {
    assertThat(Capabilities.parse("000001ffffffffff"))
        .contains(Cap.CAP_BPF, Cap.CAP_PERFMON, Cap.CAP_SYS_ADMIN);
    assertThat(Capabilities.canTrace(Capabilities.parse("000001ffffffffff"))).isTrue();
  }

  @Test
  void bpfAndPerfmonAloneAreEnough() {
    long mask = (1L << 39) | (1L << 38);
    assertThat(Capabilities.canTrace(Capabilities.parse(Long.toHexString(mask)))).isTrue();
    assertThat(Capabilities.canTrace(Capabilities.parse(Long.toHexString(1L << 39)))).isFalse();
  }

  @Test
  void unprivilegedCannot() {
    assertThat(Capabilities.parse("0000000000000000")).isEmpty();
    assertThat(Capabilities.canTrace(Capabilities.parse("0000000000000000"))).isFalse();
  }
}
