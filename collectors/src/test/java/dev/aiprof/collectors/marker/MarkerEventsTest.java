package dev.aiprof.collectors.marker;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.bpf.phase.MarkerOrigin;
import dev.aiprof.bpf.phase.PhaseAbi;
import dev.aiprof.bpf.phase.PhaseKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring-buffer handler over records laid out as phase.h says. */
class MarkerEventsTest {
  private final List<Phase> phases = new ArrayList<>();
  private final PhaseListener listener = phases::add;

  /** Records what the handler asks of the follow service: "follow 7", "kernel 7 since 100". */
  private static final class RecordingFollows implements Follows {
    final List<String> calls = new ArrayList<>();

    @Override
    public FollowOutcome follow(int pid) {
      calls.add("follow " + pid);
      return FollowOutcome.FOLLOWED;
    }

    @Override
    public FollowOutcome followedInKernel(int pid, long sinceNs) {
      calls.add("kernel " + pid + " since " + sinceNs);
      return FollowOutcome.FOLLOWED;
    }

    @Override
    public Optional<Followed> followed(int pid) {
      return Optional.empty();
    }
  }

  private final RecordingFollows follows = new RecordingFollows();

  @Test
  void pairsRecordsIntoPhasesByOriginAndAsksToFollowAtFirstContactOnce() {
    MarkerEvents e = new MarkerEvents(listener, follows, 100, 8, false);
    try (Arena a = Arena.ofConfined()) {
      feed(e, a, 100, 7, 70, PhaseKind.BEGIN, MarkerOrigin.MARKER, "step");
      feed(e, a, 110, 7, 70, PhaseKind.BEGIN, MarkerOrigin.NVTX, "forward");
      feed(e, a, 120, 7, 70, PhaseKind.END, MarkerOrigin.NVTX, "");
      feed(e, a, 130, 7, 71, PhaseKind.END, MarkerOrigin.MARKER, "");
      feed(e, a, 140, 7, 70, PhaseKind.END, MarkerOrigin.MARKER, "");
    }
    assertThat(phases)
        .extracting(Phase::name, Phase::origin, Phase::startNs, Phase::endNs, Phase::depth)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("forward", PhaseOrigin.NVTX, 110L, 120L, 0),
            org.assertj.core.groups.Tuple.tuple("step", PhaseOrigin.MARKER, 100L, 140L, 0));
    assertThat(phases).allSatisfy(p -> assertThat(p.pid()).isEqualTo(7));
    assertThat(follows.calls).containsExactly("follow 7");
    assertThat(e.phases(PhaseOrigin.MARKER)).isEqualTo(1);
    assertThat(e.phases(PhaseOrigin.NVTX)).isEqualTo(1);
    assertThat(e.losses().unmatchedEnds()).isEqualTo(1);
  }

  @Test
  void unknownCodesAndShortRecordsAreSkipped() {
    MarkerEvents e = new MarkerEvents(listener, follows, 100, 8, false);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment r = record(a, 1, 7, 70, 9, 0, "x");
      e.onRecord(r.address(), (int) r.byteSize());
      e.onRecord(r.address(), 8);
    }
    assertThat(e.unknown()).isEqualTo(1);
    assertThat(follows.calls).isEmpty();
  }

  @Test
  void exitedThreadsAndProcessesAreForgotten(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("7/task/70"));
    MarkerEvents e = new MarkerEvents(listener, follows, 100, 8, false);
    try (Arena a = Arena.ofConfined()) {
      feed(e, a, 1, 7, 70, PhaseKind.BEGIN, MarkerOrigin.MARKER, "alive");
      feed(e, a, 2, 7, 71, PhaseKind.BEGIN, MarkerOrigin.MARKER, "gone");
      feed(e, a, 3, 8, 80, PhaseKind.BEGIN, MarkerOrigin.MARKER, "gone too");
      HostPaths paths = new HostPaths(proc, proc, proc);
      e.forgetExited(paths, 0);
      assertThat(e.losses().abandoned()).as("within the grace period").isZero();
      // The thread's last event was still in the ring when the sweep found it gone.
      feed(e, a, 4, 7, 71, PhaseKind.END, MarkerOrigin.MARKER, "");
      assertThat(phases).extracting(Phase::name).containsExactly("gone");
      e.forgetExited(paths, MarkerEvents.EXIT_GRACE_NANOS);
      assertThat(e.losses().abandoned()).isEqualTo(1);
      assertThat(e.losses().unmatchedEnds()).isZero();
      assertThat(e.processes()).isEqualTo(1);
      feed(e, a, 5, 8, 80, PhaseKind.BEGIN, MarkerOrigin.MARKER, "pid 8 again");
    }
    assertThat(follows.calls).containsExactly("follow 7", "follow 8", "follow 8");
  }

  @Test
  void whenTheKernelFollowsAProcessItsFirstCallSaysFromWhen() {
    MarkerEvents e = new MarkerEvents(listener, follows, 100, 8, true);
    try (Arena a = Arena.ofConfined()) {
      feed(e, a, 100, 7, 70, PhaseKind.BEGIN, MarkerOrigin.MARKER, "step");
      feed(e, a, 150, 7, 71, PhaseKind.BEGIN, MarkerOrigin.MARKER, "load");
      feed(e, a, 200, 9, 90, PhaseKind.BEGIN, MarkerOrigin.NVTX, "forward");
      feed(e, a, 300, 7, 70, PhaseKind.END, MarkerOrigin.MARKER, "");
    }
    // The probe followed each process in the kernel at its first call: from that call's time.
    assertThat(follows.calls).containsExactly("kernel 7 since 100", "kernel 9 since 200");
    assertThat(phases).extracting(Phase::name).containsExactly("step");
  }

  @Test
  void firstContactsAreBoundedByTheProcessesItKeeps() {
    MarkerEvents e = new MarkerEvents(listener, follows, 2, 8, false);
    try (Arena a = Arena.ofConfined()) {
      for (int pid = 1; pid <= 4; pid++) {
        feed(e, a, pid, pid, pid * 10, PhaseKind.BEGIN, MarkerOrigin.MARKER, "p");
      }
    }
    assertThat(follows.calls).containsExactly("follow 1", "follow 2");
    assertThat(e.processes()).isEqualTo(2);
  }

  private static void feed(
      MarkerEvents e, Arena a, long ts, int pid, int tid, PhaseKind k, MarkerOrigin o, String n) {
    MemorySegment r = record(a, ts, pid, tid, k.code(), o.code(), n);
    e.onRecord(r.address(), (int) r.byteSize());
  }

  private static MemorySegment record(
      Arena a, long ts, int pid, int tid, int kind, int origin, String name) {
    MemorySegment r = a.allocate(PhaseAbi.EVENT);
    PhaseAbi.EVENT.varHandle(groupElement("ts")).set(r, 0L, ts);
    PhaseAbi.EVENT.varHandle(groupElement("pid")).set(r, 0L, pid);
    PhaseAbi.EVENT.varHandle(groupElement("tid")).set(r, 0L, tid);
    PhaseAbi.EVENT.varHandle(groupElement("kind")).set(r, 0L, (byte) kind);
    PhaseAbi.EVENT.varHandle(groupElement("origin")).set(r, 0L, (byte) origin);
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    r.asSlice(PhaseAbi.offset(PhaseAbi.EVENT, "name"), b.length).copyFrom(MemorySegment.ofArray(b));
    return r;
  }
}
