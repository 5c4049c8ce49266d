package dev.aiprof.bpf.blockio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's load-time settings and hook sets, without loading anything. */
class BlockIoConfigTest {
  @Test
  void boundsAreChecked() {
    assertThat(BlockIoConfig.defaults().withSlowNs(0).slowNs()).isZero();
    assertThatThrownBy(() -> new BlockIoConfig(3000, 8192, 2048, 0))
        .hasMessageContaining("ringBytes");
    assertThatThrownBy(() -> new BlockIoConfig(1 << 20, 8, 2048, 0))
        .hasMessageContaining("inflightEntries");
    assertThatThrownBy(() -> new BlockIoConfig(1 << 20, 8192, 2048, -1))
        .hasMessageContaining("slowNs");
  }

  @Test
  void hooksListTheTracepointsInTheOrderARequestMeetsThem() {
    assertThat(new BlockIoProbe.Hooks("block_io_start", true).tracepoints())
        .isEqualTo(
            List.of("block_io_start", "block_rq_issue", "block_rq_complete", "block_io_done"));
    assertThat(new BlockIoProbe.Hooks("block_rq_insert", false).tracepoints())
        .isEqualTo(List.of("block_rq_insert", "block_rq_issue", "block_rq_complete"));
  }
}
