package dev.aiprof.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackTest {
  @Test
  void loopbackAddressesAndNamesPass() {
    assertThat(Loopback.isLoopback("127.0.0.1")).isTrue();
    assertThat(Loopback.isLoopback("127.0.0.2")).isTrue();
    assertThat(Loopback.isLoopback("::1")).isTrue();
    assertThat(Loopback.isLoopback("localhost")).isTrue();
  }

  @Test
  void everythingElseNeedsTheExplicitSetting() {
    assertThat(Loopback.isLoopback("0.0.0.0")).isFalse();
    assertThat(Loopback.isLoopback("::")).isFalse();
    assertThat(Loopback.isLoopback("192.0.2.1")).isFalse();
    assertThat(Loopback.isLoopback("no-such-host.invalid")).isFalse();
    assertThatThrownBy(() -> Loopback.check("x.address", "0.0.0.0", "x.listen-public", false))
        .hasMessage(
            "x.address '0.0.0.0' is not a loopback address: the agent listens beyond this host"
                + " only when told so; set x.listen-public=true to listen there, or use 127.0.0.1"
                + " or [::1]");
    Loopback.check("x.address", "0.0.0.0", "x.listen-public", true);
  }
}
