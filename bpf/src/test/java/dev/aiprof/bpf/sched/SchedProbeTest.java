package dev.aiprof.bpf.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.UnsupportedFeatureException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variant choice and configuration checks, without loading anything. */
class SchedProbeTest {
  private static Features with(Feature... supported) {
    Map<Feature, Features.Result> m = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      m.put(f, new Features.Result(f, false, "probe said no"));
    }
    for (Feature f : supported) {
      m.put(f, new Features.Result(f, true, "ok"));
    }
    return new Features(m);
  }

  @Test
  void prefersTpBtfWithTaskStorage() {
    assertThat(
            SchedProbe.chooseVariant(
                with(Feature.RINGBUF, Feature.TP_BTF, Feature.TASK_STORAGE, Feature.RAW_TP)))
        .isEqualTo(SchedProbe.Variant.TP_BTF);
  }

  @Test
  void fallsBackToRawTpWithoutTaskStorage() {
    assertThat(SchedProbe.chooseVariant(with(Feature.RINGBUF, Feature.TP_BTF, Feature.RAW_TP)))
        .isEqualTo(SchedProbe.Variant.RAW_TP);
  }

  @Test
  void needsARingBuffer() {
    assertThatThrownBy(() -> SchedProbe.chooseVariant(with(Feature.TP_BTF, Feature.TASK_STORAGE)))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("BPF ring buffer");
  }

  @Test
  void needsSomeTracepointKind() {
    assertThatThrownBy(() -> SchedProbe.chooseVariant(with(Feature.RINGBUF)))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("raw_tp");
  }

  @Test
  void configRejectsBadSizes() {
    assertThatThrownBy(() -> SchedConfig.builder().ringBytes(5000).build())
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> SchedConfig.builder().minEventNs(-1).build())
        .hasMessageContaining("minEventNs");
    assertThat(SchedConfig.builder().build().selfPid()).isEqualTo(ProcessHandle.current().pid());
  }
}
