package dev.aiprof.collectors.sched;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.sandbox.Sandbox;
import dev.aiprof.bpf.sched.OffCpuKind;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Describes a phase from the scheduler timelines: how much of it its thread (or, for a process-wide
 * phase, all threads of its process) spent on a CPU, waiting on a runqueue, blocked (D, usually
 * I/O), sleeping or otherwise off-CPU, and the individual stalls above a threshold as span events
 * (the longest {@code maxEvents}).
 *
 * <p>Attributes: {@code aiprof.sched.on_cpu_ms}, {@code .runqueue_ms}, {@code .blocked_ms}, {@code
 * .sleep_ms}, {@code .other_ms}, {@code .steal_ms} (time the hypervisor took the CPU from the
 * thread while it was running), {@code .coverage} (share of the phase's thread-time the timeline
 * knows), {@code .threads}, {@code .stalls}. Categories: the thread-time ones ({@link
 * Category#ON_CPU} ... {@link Category#STEAL}).
 *
 * <p>A phase of a sandboxed process (gVisor, Kata, Firecracker) gets {@code
 * aiprof.sched.observable=false} with its reason and no per-thread figures; a process-wide one gets
 * the sums over the sandbox's host threads with {@code aiprof.sched.scope=sandbox}, and no stalls.
 */
public final class SchedSignal implements PhaseSignal {
  public static final AttributeKey<Double> ON_CPU =
      AttributeKey.doubleKey("aiprof.sched.on_cpu_ms");
  public static final AttributeKey<Double> RUNQUEUE =
      AttributeKey.doubleKey("aiprof.sched.runqueue_ms");
  public static final AttributeKey<Double> BLOCKED =
      AttributeKey.doubleKey("aiprof.sched.blocked_ms");
  public static final AttributeKey<Double> SLEEP = AttributeKey.doubleKey("aiprof.sched.sleep_ms");
  public static final AttributeKey<Double> OTHER = AttributeKey.doubleKey("aiprof.sched.other_ms");
  public static final AttributeKey<Double> STEAL = AttributeKey.doubleKey("aiprof.sched.steal_ms");
  public static final AttributeKey<Double> COVERAGE =
      AttributeKey.doubleKey("aiprof.sched.coverage");
  public static final AttributeKey<Long> THREADS = AttributeKey.longKey("aiprof.sched.threads");
  public static final AttributeKey<Long> STALLS = AttributeKey.longKey("aiprof.sched.stalls");
  public static final String STALL_EVENT = "aiprof.sched.stall";
  public static final AttributeKey<String> STALL_KIND =
      AttributeKey.stringKey("aiprof.sched.stall.kind");
  public static final AttributeKey<Double> STALL_MS =
      AttributeKey.doubleKey("aiprof.sched.stall.duration_ms");
  public static final AttributeKey<Long> WAKER_PID = AttributeKey.longKey("aiprof.sched.waker.pid");
  public static final AttributeKey<Long> WAKER_TID = AttributeKey.longKey("aiprof.sched.waker.tid");

  /** What the signal needs from the probe: a thread's latest switch state. */
  public interface ThreadState extends IntFunction<Optional<ThreadSchedStats>> {}

  /**
   * {@code aiprof.sched.scope}: {@code sandbox} when the figures are phase-wide sums over a
   * sandbox's host threads (gVisor's Sentry, a micro-VM's vCPUs), not the workload's threads.
   */
  public static final AttributeKey<String> SCOPE = AttributeKey.stringKey("aiprof.sched.scope");

  private final TimelineStore store;
  private final IntFunction<Optional<Sandbox>> sandboxes;
  private final ThreadState threads;
  private final LongSupplier drainedUntil;
  private final long minStallNs;
  private final int maxEvents;
  // Phases ready() has seen, with the switch-out the ring must be drained past (engine thread
  // only).
  private final Map<Phase, Long> drainTargets = new IdentityHashMap<>();

  public SchedSignal(
      TimelineStore store,
      ThreadState threads,
      LongSupplier drainedUntil,
      long minStallNs,
      int maxEvents) {
    this(store, threads, drainedUntil, minStallNs, maxEvents, pid -> Optional.empty());
  }

  /**
   * @param sandboxes the sandbox a pid belongs to ({@link dev.aiprof.api.sandbox.SandboxLookup}):
   *     its phases get no per-thread figures, and process-wide ones sums over its host threads
   */
  public SchedSignal(
      TimelineStore store,
      ThreadState threads,
      LongSupplier drainedUntil,
      long minStallNs,
      int maxEvents,
      IntFunction<Optional<Sandbox>> sandboxes) {
    this.sandboxes = sandboxes;
    this.store = store;
    this.threads = threads;
    this.drainedUntil = drainedUntil;
    this.minStallNs = minStallNs;
    this.maxEvents = maxEvents;
  }

  @Override
  public String name() {
    return "sched";
  }

  /**
   * Records are complete up to the last caught-up drain's start, less a margin for a program
   * stalled between its timestamp and its reservation (a vCPU taken away by the hypervisor).
   */
  long completeUntil() {
    long d = drainedUntil.getAsLong();
    return d == Long.MIN_VALUE ? d : d - MARGIN_NS;
  }

  private static final long MARGIN_NS = 20_000_000;

  /** Phases of processes: the timelines can say something (if only that they know nothing). */
  @Override
  public boolean relevant(Phase phase) {
    return phase.pid() > 0;
  }

  /**
   * Ready once the ring buffer has been drained past the phase's end ({@link #completeUntil}).
   *
   * <p>And one thing this probe knows may still be on its way: a thread that ended its phase itself
   * (marker and NVTX phases end in a uprobe on the thread) was on a CPU at the end. If the probe
   * still has it off-CPU since before then, the switch that gave it the CPU was not traced, and the
   * probe rebuilds that episode at the thread's next switch-out: wait for it. Once the thread has
   * left the CPU after the end (or is on one), wait until the ring is drained past that switch-out,
   * where a rebuilt episode would be sent.
   */
  @Override
  public boolean ready(Phase phase) {
    if (completeUntil() < phase.endNs()) {
      return false;
    }
    if (phase.processWide()
        || !(phase.origin().equals(PhaseOrigin.MARKER)
            || phase.origin().equals(PhaseOrigin.NVTX))) {
      return true;
    }
    Long target = drainTargets.get(phase);
    if (target == null) {
      Optional<ThreadSchedStats> t = threads.apply(phase.tid());
      if (t.isEmpty()) {
        return true;
      }
      if (t.get().offCpuNow() && t.get().lastOffcpuTs() < phase.endNs()) {
        return false; // its switch-in was not traced: rebuilt at its next switch-out
      }
      target = t.get().lastOffcpuTs();
      drainTargets.put(phase, target);
    }
    return completeUntil() >= target;
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    drainTargets.remove(phase);
    Optional<Sandbox> sandbox = sandboxes.apply(phase.pid());
    if (sandbox.isPresent()) {
      out.attribute(Sandbox.SANDBOX, sandbox.get().kind().label())
          .attribute(Sandbox.SCHED_OBSERVABLE, false)
          .attribute(Sandbox.SCHED_REASON, sandbox.get().reason());
      if (!phase.processWide()) {
        return; // a thread of the sandbox is not a thread of the workload: no numbers
      }
      out.attribute(SCOPE, "sandbox");
    }
    List<Integer> tids = phase.processWide() ? store.threadsOf(phase.pid()) : List.of(phase.tid());
    // Every episode that switched in before completeUntil() has been received; an episode the
    // thread is in right now is read from the probe.
    long knownUntil = Math.min(phase.endNs(), completeUntil());
    List<Stall> stalls = new ArrayList<>();
    Breakdown sum = Breakdown.empty();
    for (int tid : tids) {
      Optional<ThreadSchedStats> now = threads.apply(tid);
      long open =
          now.filter(ThreadSchedStats::offCpuNow).map(ThreadSchedStats::lastOffcpuTs).orElse(0L);
      OffCpuKind openKind = now.map(ThreadSchedStats::lastKind).orElse(OffCpuKind.OTHER);
      sum =
          sum.plus(
              store.breakdown(
                  phase.pid(),
                  tid,
                  phase.startNs(),
                  phase.endNs(),
                  knownUntil,
                  open,
                  openKind,
                  minStallNs,
                  e -> stalls.add(Stall.of(tid, e, phase.startNs(), phase.endNs()))));
    }
    long threadTime = Math.max(1, phase.durationNs() * Math.max(1, tids.size()));
    out.attribute(ON_CPU, sum.onCpuNs() / 1e6)
        .attribute(RUNQUEUE, sum.runqueueNs() / 1e6)
        .attribute(BLOCKED, sum.offNs(OffCpuKind.BLOCKED) / 1e6)
        .attribute(SLEEP, sum.offNs(OffCpuKind.SLEEP) / 1e6)
        .attribute(OTHER, sum.offNs(OffCpuKind.OTHER) / 1e6)
        .attribute(STEAL, sum.stealNs() / 1e6)
        .attribute(COVERAGE, Math.min(1.0, (double) sum.knownNs() / threadTime))
        .attribute(THREADS, (long) tids.size())
        .attribute(STALLS, (long) stalls.size());
    out.time(Category.ON_CPU, sum.onCpuNs())
        .time(Category.RUNQUEUE, sum.runqueueNs())
        .time(Category.BLOCKED, sum.offNs(OffCpuKind.BLOCKED))
        .time(Category.SLEEP, sum.offNs(OffCpuKind.SLEEP))
        .time(Category.OTHER, sum.offNs(OffCpuKind.OTHER))
        .time(Category.STEAL, sum.stealNs());
    if (sandbox.isPresent()) {
      return; // stalls name the Sentry's or a vCPU's threads, not the workload's
    }
    stalls.sort(Comparator.comparingLong(Stall::ns).reversed());
    for (Stall s : stalls.subList(0, Math.min(maxEvents, stalls.size()))) {
      out.event(
          STALL_EVENT,
          s.startNs(),
          Attributes.builder()
              .put(STALL_KIND, s.kind())
              .put(STALL_MS, s.ns() / 1e6)
              .put(Identity.TID, (long) s.tid())
              .put(WAKER_PID, (long) s.wakerPid())
              .put(WAKER_TID, (long) s.wakerTid())
              .build());
    }
  }

  /** The larger part of an episode inside the phase, as one stall. */
  record Stall(int tid, String kind, long startNs, long ns, int wakerPid, int wakerTid) {
    static Stall of(int tid, Episode e, long start, long end) {
      long off = ThreadTimeline.overlap(start, end, e.offcpu(), e.runnable());
      long runq = ThreadTimeline.overlap(start, end, e.runnable(), e.oncpu());
      return off >= runq
          ? new Stall(
              tid, e.kind().label(), Math.max(start, e.offcpu()), off, e.wakerPid(), e.wakerTid())
          : new Stall(tid, "runqueue", Math.max(start, e.runnable()), runq, 0, 0);
    }
  }
}
