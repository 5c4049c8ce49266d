package dev.aiprof.gpu.cuda;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import dev.aiprof.bpf.cuda.CudaWait;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Describes a phase's CUDA activity on its thread (or, for a process-wide phase, every thread of
 * its process that called CUDA): host time waiting in synchronisation calls ({@link
 * Category#CUDA_SYNC}), kernel and graph launches, copies and bytes by direction, and the longest
 * waits as span events.
 *
 * <p>Attribution: waits of at least {@code cuda.wait-event-threshold} are events with their start
 * and end, counted by their exact overlap with the phase. Everything else is kept by the kernel per
 * (thread, function, 16.8 ms time slot) with the times of the entry's first and last call: an entry
 * whose calls all lie in the phase counts whole (exact whenever a phase boundary does not fall
 * between two calls of one function in one slot); one that straddles a boundary is split by the
 * share of its first-to-last interval on each side. A short wait counts at its return.
 *
 * <p>Attributes: {@code aiprof.gpu.cuda.sync_ms}, {@code .syncs}, {@code .launches}, {@code
 * .copies}, {@code .copy_bytes}, {@code .htod_bytes}, {@code .dtoh_bytes}, {@code .dtod_bytes},
 * {@code .long_waits}, {@code .errors}. Ready when the slots and the ring are drained past the
 * phase's end. Thread-safety: called on the engine's thread; reads {@link ThreadActivity} (which is
 * synchronized).
 */
final class CudaSignal implements PhaseSignal {
  static final AttributeKey<Double> SYNC_MS = AttributeKey.doubleKey("aiprof.gpu.cuda.sync_ms");
  static final AttributeKey<Long> SYNCS = AttributeKey.longKey("aiprof.gpu.cuda.syncs");
  static final AttributeKey<Long> LAUNCHES = AttributeKey.longKey("aiprof.gpu.cuda.launches");
  static final AttributeKey<Long> COPIES = AttributeKey.longKey("aiprof.gpu.cuda.copies");
  static final AttributeKey<Long> COPY_BYTES = AttributeKey.longKey("aiprof.gpu.cuda.copy_bytes");
  static final AttributeKey<Long> HTOD = AttributeKey.longKey("aiprof.gpu.cuda.htod_bytes");
  static final AttributeKey<Long> DTOH = AttributeKey.longKey("aiprof.gpu.cuda.dtoh_bytes");
  static final AttributeKey<Long> DTOD = AttributeKey.longKey("aiprof.gpu.cuda.dtod_bytes");
  static final AttributeKey<Long> LONG_WAITS = AttributeKey.longKey("aiprof.gpu.cuda.long_waits");
  static final AttributeKey<Long> ERRORS = AttributeKey.longKey("aiprof.gpu.cuda.errors");
  static final String WAIT_EVENT = "aiprof.gpu.cuda.wait";
  static final AttributeKey<String> WAIT_CALL = CudaMetrics.CALL;
  static final AttributeKey<Double> WAIT_MS = AttributeKey.doubleKey("aiprof.gpu.cuda.wait_ms");
  private static final long MARGIN_NS = 20_000_000;

  private final ThreadActivity<Integer, CudaSlot, CudaWait> activity;
  private final IntPredicate cudaProcess;
  private final LongSupplier slotsCompleteUntil;
  private final LongSupplier ringDrainedUntil;
  private final int slotShift;
  private final int maxEvents;

  CudaSignal(
      ThreadActivity<Integer, CudaSlot, CudaWait> activity,
      IntPredicate cudaProcess,
      LongSupplier slotsCompleteUntil,
      LongSupplier ringDrainedUntil,
      int slotShift,
      int maxEvents) {
    this.activity = activity;
    this.cudaProcess = cudaProcess;
    this.slotsCompleteUntil = slotsCompleteUntil;
    this.ringDrainedUntil = ringDrainedUntil;
    this.slotShift = slotShift;
    this.maxEvents = maxEvents;
  }

  @Override
  public String name() {
    return "cuda";
  }

  /** Phases of processes that map a CUDA library or called one. */
  @Override
  public boolean relevant(Phase phase) {
    return phase.pid() > 0 && (cudaProcess.test(phase.pid()) || activity.knows(phase.pid()));
  }

  /** Ready once the ended slots and the wait ring are drained past the phase's end. */
  @Override
  public boolean ready(Phase phase) {
    long ring = ringDrainedUntil.getAsLong();
    return slotsCompleteUntil.getAsLong() > phase.endNs()
        && ring != Long.MIN_VALUE
        && ring - MARGIN_NS >= phase.endNs();
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    List<Integer> tids =
        phase.processWide() ? activity.threadsOf(phase.pid()) : List.of(phase.tid());
    PhaseCuda c =
        PhaseCuda.of(activity, phase.pid(), tids, phase.startNs(), phase.endNs(), 1L << slotShift);
    long syncNs = Math.round(c.syncNs);
    out.attribute(SYNC_MS, syncNs / 1e6)
        .attribute(SYNCS, Math.round(c.syncs))
        .attribute(LAUNCHES, Math.round(c.launches))
        .attribute(COPIES, Math.round(c.copies))
        .attribute(COPY_BYTES, c.totalBytes())
        .attribute(HTOD, c.bytes(CudaDir.HTOD))
        .attribute(DTOH, c.bytes(CudaDir.DTOH))
        .attribute(DTOD, c.bytes(CudaDir.DTOD))
        .attribute(LONG_WAITS, (long) c.waits.size())
        .attribute(ERRORS, Math.round(c.errors));
    out.time(Category.CUDA_SYNC, syncNs)
        .amount(Category.CUDA_LAUNCHES, Math.round(c.launches))
        .amount(Category.CUDA_COPY_BYTES, c.totalBytes());
    c.waits.sort(Comparator.comparingLong(CudaWait::durationNs).reversed());
    for (CudaWait w : c.waits.subList(0, Math.min(maxEvents, c.waits.size()))) {
      out.event(
          WAIT_EVENT,
          w.startNs(),
          Attributes.builder()
              .put(WAIT_CALL, w.call() == null ? "unknown" : w.call().label())
              .put(WAIT_MS, w.durationNs() / 1e6)
              .put(Identity.TID, (long) w.tid())
              .build());
    }
  }
}
