package dev.aiprof.io.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.blockio.BlockIoDir;
import dev.aiprof.bpf.blockio.BlockIoOrigin;
import dev.aiprof.bpf.blockio.BlockIoRequest;
import io.opentelemetry.api.common.Attributes;
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
        new BlockIoSignal(a, pid -> pid == PID, () -> 1_000_000_000L, d -> "loop7", 8);
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

  @Test
  void aProcessUnfollowedAtItsExitStaysRelevantWhileItsRequestsAreKept() {
    BlockIoActivity a = new BlockIoActivity(16, 16, 4);
    BlockIoSignal s = new BlockIoSignal(a, pid -> false, () -> 1_000_000_000L, d -> "loop7", 8);
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
