package dev.aiprof.custom.bcc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.Btf;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** usdt_count.h is the ABI: UsdtCounter's key layout and limits against the object's BTF. */
class UsdtCountLayoutTest {
  @Test
  void keyLayoutAndLimitsMatchTheHeader() {
    try (BpfObject obj = BpfObject.openResource(BpfObject.class, "usdt_count")) {
      Btf.Struct key = obj.btf().struct("usdt_key").orElseThrow();
      assertThat(key.size()).isEqualTo(8);
      assertThat(key.member("slot").orElseThrow().offset()).isZero();
      assertThat(key.member("pid").orElseThrow().offset()).isEqualTo(4);
      Map<String, Long> limits = obj.btf().enumValues("usdt_count_limits");
      assertThat(limits)
          .containsEntry("USDT_COUNT_SLOTS", (long) UsdtCounter.MAX_PROBES)
          .containsEntry("USDT_COUNT_PIDS", (long) UsdtCounter.MAX_PAIRS)
          .containsEntry("USDT_COUNT_UNOWNED", (long) UsdtCounter.MAX_PROBES);
      assertThat(obj.map("usdt_hits").maxEntries()).isEqualTo(UsdtCounter.MAX_PROBES + 1);
      assertThat(obj.map("usdt_by_pid").maxEntries()).isEqualTo(UsdtCounter.MAX_PAIRS);
    }
  }
}
