package dev.aiprof.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartupTimeTest {
  @Test
  void saysHowLongAfterTheProcessStarted() {
    String s = StartupTime.since(Optional.of(Instant.now().minusMillis(1500)));
    assertThat(s).matches(" 1\\.5\\ds after start");
  }

  @Test
  void saysNothingWithoutAStartTimeOrWithOneInTheFuture() {
    assertThat(StartupTime.since(Optional.empty())).isEmpty();
    assertThat(StartupTime.since(Optional.of(Instant.now().plusSeconds(60)))).isEmpty();
  }
}
