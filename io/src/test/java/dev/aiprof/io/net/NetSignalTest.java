package dev.aiprof.io.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.net.NetSlot;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

/** The phase signal's attribution of followed threads' slots: pure, no kernel. */
class NetSignalTest {
  /** Longer than any test entry spans. */
  private static final long SLOT = 1_000_000_000L;

  private static final long MS = 1_000_000;

  @Test
  void aSlotInsideThePhaseCountsWholeAndAStraddlingOneByItsShare() {
    NetSlot inside = new NetSlot(1, 10, 11, 1000, 2000, 1, 20 * MS, 30 * MS);
    NetSlot straddling = new NetSlot(2, 10, 11, 4000, 0, 0, 90 * MS, 110 * MS);
    assertThat(NetSignal.share(inside, 0, 100 * MS)).isEqualTo(1.0);
    assertThat(NetSignal.share(straddling, 0, 100 * MS)).isCloseTo(0.5, within());
    assertThat(NetSignal.share(straddling, 200 * MS, 300 * MS)).isZero();
    NetSlot single = new NetSlot(3, 10, 11, 7, 0, 0, 50 * MS, 50 * MS);
    assertThat(NetSignal.share(single, 0, 100 * MS)).as("one message").isEqualTo(1.0);
  }

  @Test
  void describeFillsTheCategoriesForTheThreadOrTheWholeProcess() {
    ThreadActivity<Integer, NetSlot, ThreadActivity.Event<Integer>> a =
        new ThreadActivity<>(16, 16, 0);
    a.addSlot(new NetSlot(1, 10, 11, 1000, 2000, 1, 20 * MS, 30 * MS));
    a.addSlot(new NetSlot(2, 10, 11, 4000, 0, 0, 90 * MS, 110 * MS));
    a.addSlot(new NetSlot(2, 10, 12, 500, 500, 2, 40 * MS, 40 * MS));
    a.addSlot(new NetSlot(2, 99, 13, 9999, 9999, 9, 40 * MS, 40 * MS)); // another process
    NetSignal signal = new NetSignal(a, pid -> 0, () -> 200 * MS, SLOT);
    Phase thread = phase(11, 0, 100 * MS);
    assertThat(signal.ready(thread)).isTrue();
    PhaseDescription d = new PhaseDescription();
    signal.describe(thread, d);
    assertThat(d.values())
        .containsEntry(Category.NET_BYTES_SENT, 3000L)
        .containsEntry(Category.NET_BYTES_RECEIVED, 2000L)
        .containsEntry(Category.TCP_RETRANSMITS, 1L);
    assertThat(d.attributes().get(NetSignal.SENT)).isEqualTo(3000L);

    Phase process = phase(0, 0, 100 * MS);
    PhaseDescription p = new PhaseDescription();
    signal.describe(process, p);
    assertThat(p.values())
        .containsEntry(Category.NET_BYTES_SENT, 3500L)
        .containsEntry(Category.NET_BYTES_RECEIVED, 2500L)
        .containsEntry(Category.TCP_RETRANSMITS, 3L);
    assertThat(signal.ready(phase(11, 0, 300 * MS))).isFalse();
  }

  private static Phase phase(int tid, long start, long end) {
    return new Phase("step", PhaseOrigin.MARKER, 10, tid, start, end, 0, Attributes.empty(), null);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }

  @Test
  void onlyFollowedProcessesArePhasesOfItAndOnlyTheirFollowedTimeHasAmounts() {
    ThreadActivity<Integer, NetSlot, ThreadActivity.Event<Integer>> a =
        new ThreadActivity<>(16, 16, 0);
    a.addSlot(new NetSlot(1, 10, 11, 1000, 0, 0, 20 * MS, 30 * MS));
    long[] since = {Long.MAX_VALUE};
    NetSignal signal =
        new NetSignal(a, pid -> pid == 10 ? since[0] : Long.MAX_VALUE, () -> 0, SLOT);
    Phase p = phase(11, 0, 100 * MS);
    assertThat(signal.relevant(p)).as("pid 10 not followed (yet)").isFalse();
    PhaseDescription before = new PhaseDescription();
    signal.describe(p, before);
    assertThat(before.values()).as("not covered: no amounts rather than zeros").isEmpty();
    assertThat(before.attributes().get(NetSignal.COVERAGE)).isEqualTo(0.0);
    since[0] = 25 * MS;
    assertThat(signal.relevant(p)).isTrue();
    PhaseDescription d = new PhaseDescription();
    signal.describe(p, d);
    assertThat(d.attributes().get(NetSignal.COVERAGE)).isEqualTo(0.75);
    assertThat(d.values()).containsEntry(Category.NET_BYTES_SENT, 1000L);
  }
}
