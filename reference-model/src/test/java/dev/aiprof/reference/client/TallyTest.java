package dev.aiprof.reference.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's result line. */
class TallyTest {
  @Test
  void nearestRankQuantiles() {
    List<Double> v = List.of(5.0, 1.0, 3.0, 2.0, 4.0);
    assertThat(Tally.quantile(v, 0.5)).isEqualTo(3.0);
    assertThat(Tally.quantile(v, 0.99)).isEqualTo(5.0);
    assertThat(Tally.quantile(List.of(), 0.5)).isZero();
  }

  @Test
  void theResultLineCountsTokensAndErrors() {
    Tally t = new Tally();
    t.ok(2_000_000_000L, 5, 0.1, 0.02);
    t.ok(1_000_000_000L, 1, 0.3, 0);
    t.error();
    t.wall(2_000_000_000L);
    assertThat(t.json())
        .contains("\"requests\":2,\"errors\":1,\"output_tokens\":6,\"wall_s\":2.000000")
        .contains("\"requests_per_s\":1.0000,\"output_tokens_per_s\":3.0000")
        .contains("\"ttft_p50_s\":0.100000,\"ttft_p99_s\":0.300000")
        .contains("\"tpot_p50_s\":0.020000"); // a one-token answer has no time per output token
  }
}
