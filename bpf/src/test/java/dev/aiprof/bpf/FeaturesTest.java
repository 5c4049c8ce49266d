package dev.aiprof.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FeaturesTest {
  @Test
  void requireNamesTheFeatureAndWhatTheProbeSaw() {
    Features f =
        new Features(
            Map.of(
                Feature.FENTRY, new Features.Result(Feature.FENTRY, false, "load probe: EPERM")));
    assertThat(f.has(Feature.FENTRY)).isFalse();
    assertThatThrownBy(() -> f.require(Feature.FENTRY))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessage("fentry/fexit trampolines is not available: load probe: EPERM")
        .satisfies(
            e -> assertThat(((UnsupportedFeatureException) e).feature()).isEqualTo(Feature.FENTRY));
  }

  @Test
  void unprobedFeatureIsNotSupported() {
    Features f = new Features(Map.of());
    assertThat(f.has(Feature.RINGBUF)).isFalse();
    assertThat(f.result(Feature.RINGBUF).detail()).isEqualTo("not probed");
  }
}
