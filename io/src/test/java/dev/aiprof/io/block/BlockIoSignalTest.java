package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.blockio.BlockIoDir;
import dev.aiprof.bpf.blockio.BlockIoOrigin;
import dev.aiprof.bpf.blockio.BlockIoRequest;
import dev.aiprof.bpf.blockio.InflightRequest;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A phase's block I/O from its threads' requests: overlap in time, completions in counts. */
class BlockIoSignalTest {
  private static final int PID = 100;

  private static BlockIoRequest req(int tid, long start, long end, BlockIoDir dir, long bytes) {
    return new BlockIoRequest(
        start,
        start,
        end,
        1,
        0,
        bytes,
        PID,
        tid,
        7 << 20,
        dir,
        BlockIoOrigin.TASK,
        BlockIoRequest.FOLLOWED | BlockIoRequest.QUEUED | BlockIoRequest.ISSUED);
  }

  private static Phase phase(int pid, int tid, long start, long end) {
    return new Phase("step", PhaseOrigin.MARKER, pid, tid, start, end, 0, Attributes.empty(), null);
  }

  @Test
  void waitIsTheOverlapAndCountsAreTheRequestsThatCompletedInside() {
    List<BlockIoRequest> rs =
        List.of(
            req(1, 0, 150, BlockIoDir.READ, 4096), // starts before: 50 inside, completes inside
            req(1, 200, 300, BlockIoDir.READ, 8192),
            req(1, 300, 450, BlockIoDir.WRITE, 65536),
            req(1, 900, 1200, BlockIoDir.FLUSH, 0)); // ends after: 100 inside
    BlockIoSignal.Totals t = BlockIoSignal.sum(rs, 100, 1000);
    assertThat(t.waitNs()).isEqualTo(50 + 100 + 150 + 100);
    assertThat(t.requests()).as("the flush completes after").isEqualTo(3);
    assertThat(t.readBytes()).isEqualTo(4096 + 8192);
    assertThat(t.writtenBytes()).isEqualTo(65536);
  }

  @Test
  void aThreadPhaseGetsItsThreadsRequestsOnlyAndUnfollowedProcessesAreNotRelevant() {
    BlockIoActivity a = new BlockIoActivity(16, 16, 4);
    a.add(req(1, 1_000, 2_000, BlockIoDir.READ, 4096));
    a.add(req(2, 1_000, 3_000, BlockIoDir.READ, 4096));
    BlockIoSignal s =
        new BlockIoSignal(
            a, pid -> pid == PID, () -> 1_000_000_000L, view(List.of()), d -> "loop7", 8);
    Phase phase = phase(PID, 1, 0, 10_000);
    PhaseDescription out = new PhaseDescription();

    assertThat(s.relevant(phase)).isTrue();
    assertThat(s.relevant(phase(PID + 1, PID + 1, 0, 10_000))).isFalse();
    assertThat(s.ready(phase)).isTrue();
    assertThat(s.ready(phase(PID, 1, 0, 999_000_000L))).isFalse();
    s.describe(phase, out);

    assertThat(out.values().get(Category.BLOCK_IO_WAIT)).isEqualTo(1_000);
    assertThat(out.attributes().get(BlockIoSignal.REQUESTS)).isEqualTo(1);
    assertThat(out.events())
        .singleElement()
        .satisfies(e -> assertThat(e.monoNs()).isEqualTo(1_000));
  }

  private long now = 1_000_000;
  private long ring = 1_000_000_000L;
  private int reads;

  private InflightView view(List<InflightRequest> inflight) {
    return new InflightView(
        () -> {
          reads++;
          return inflight;
        },
        () -> now,
        1_000);
  }

  @Test
  void aRequestStillInFlightAfterThePhaseCountsItsWaitOnceAReadAfterTheEndExists() {
    BlockIoActivity a = new BlockIoActivity(16, 16, 4);
    List<InflightRequest> inflight = new ArrayList<>();
    inflight.add(new InflightRequest(PID, 1, 5_000)); // started in the phase, not done
    inflight.add(new InflightRequest(PID, 2, 6_000)); // another thread's
    inflight.add(new InflightRequest(PID, 1, 10_000)); // started at the end: not the phase's
    BlockIoSignal s =
        new BlockIoSignal(a, pid -> pid == PID, () -> ring, view(inflight), d -> "loop7", 8);
    Phase phase = phase(PID, 1, 0, 10_000);
    now = 9_000;
    assertThat(s.ready(phase)).as("no look at the in-flight map after the end yet").isFalse();
    now = 20_000;
    ring = 20_000 + 20_000_000 - 1;
    assertThat(s.ready(phase)).as("the ring not drained past the read").isFalse();
    ring = 1_000_000_000L;
    assertThat(s.ready(phase)).isTrue();
    PhaseDescription out = new PhaseDescription();
    s.describe(phase, out);
    assertThat(out.values().get(Category.BLOCK_IO_WAIT)).isEqualTo(5_000);
    assertThat(out.attributes().get(BlockIoSignal.IN_FLIGHT)).isEqualTo(1);
    assertThat(out.attributes().get(BlockIoSignal.REQUESTS)).as("it completes later").isZero();

    // It completes after the read: in the activity too, counted once.
    a.add(req(1, 5_000, 30_000, BlockIoDir.READ, 4096));
    PhaseDescription again = new PhaseDescription();
    s.describe(phase, again);
    assertThat(again.values().get(Category.BLOCK_IO_WAIT)).isEqualTo(5_000);
    assertThat(again.attributes().get(BlockIoSignal.IN_FLIGHT)).isZero();

    Phase wide = phase(PID, 0, 0, 10_000);
    PhaseDescription all = new PhaseDescription();
    s.describe(wide, all);
    assertThat(all.values().get(Category.BLOCK_IO_WAIT))
        .as("a process-wide phase: thread 2's wait too")
        .isEqualTo(5_000 + 4_000);
  }

  @Test
  void theInFlightMapIsReadAtMostOncePerInterval() {
    BlockIoSignal s =
        new BlockIoSignal(
            new BlockIoActivity(4, 4, 4), pid -> true, () -> ring, view(List.of()), d -> "x", 8);
    now = 10_000;
    assertThat(s.ready(phase(PID, 1, 0, 5_000))).isTrue();
    assertThat(s.ready(phase(PID, 1, 0, 6_000))).as("the read begun after both ends").isTrue();
    now = 10_500;
    assertThat(s.ready(phase(PID, 1, 0, 10_200))).as("too soon for another read").isFalse();
    now = 11_000;
    assertThat(s.ready(phase(PID, 1, 0, 10_200))).isTrue();
    assertThat(reads).isEqualTo(2);
  }

  @Test
  void aProcessUnfollowedAtItsExitStaysRelevantWhileItsRequestsAreKept() {
    BlockIoActivity a = new BlockIoActivity(16, 16, 4);
    BlockIoSignal s =
        new BlockIoSignal(a, pid -> false, () -> 1_000_000_000L, view(List.of()), d -> "loop7", 8);
    Phase phase = phase(PID, 1, 0, 10_000);
    assertThat(s.relevant(phase)).as("never followed: nothing seen").isFalse();
    a.add(req(1, 1_000, 2_000, BlockIoDir.READ, 4096)); // made while followed
    assertThat(s.relevant(phase)).as("exited and unfollowed since").isTrue();
    PhaseDescription out = new PhaseDescription();
    s.describe(phase, out);
    assertThat(out.attributes().get(BlockIoSignal.READ_BYTES)).isEqualTo(4096);
    a.prune(3_000);
    assertThat(s.relevant(phase)).as("its requests pruned").isFalse();
  }

  @Test
  void activityIsBoundedAndPrunedAndSlowRequestsAreKeptForAnyone() {
    BlockIoActivity a = new BlockIoActivity(1, 2, 1);
    a.add(req(1, 0, 10, BlockIoDir.READ, 1));
    a.add(req(1, 10, 20, BlockIoDir.READ, 1));
    a.add(req(1, 20, 30, BlockIoDir.READ, 1));
    a.add(req(2, 0, 10, BlockIoDir.READ, 1));
    assertThat(a.droppedRequests()).isEqualTo(1);
    assertThat(a.droppedThreads()).isEqualTo(1);
    assertThat(a.of(1, 0, 100)).hasSize(2);
    BlockIoRequest slow =
        new BlockIoRequest(
            0,
            5,
            90,
            9,
            0,
            4096,
            5,
            5,
            7 << 20,
            BlockIoDir.WRITE,
            BlockIoOrigin.WRITEBACK,
            BlockIoRequest.SLOW | BlockIoRequest.ISSUED);
    a.add(slow);
    assertThat(a.slow(0, 100)).containsExactly(slow);
    assertThat(a.threadsOf(5)).as("not followed: not kept per thread").isEmpty();
    a.prune(25);
    assertThat(a.of(1, 0, 100)).hasSize(1);
    a.prune(1_000);
    assertThat(a.threads()).isZero();
  }
}
