package dev.aiprof.io.file;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.follow.Followed;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.fileio.FileIoSlot;
import dev.aiprof.bpf.fileio.SlowRead;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Describes a phase's file I/O on its thread (or, for a process-wide phase, every thread of its
 * process that did any): bytes read and written ({@link Category#BYTES_READ}, {@link
 * Category#BYTES_WRITTEN}), page-cache misses ({@link Category#PAGE_CACHE_MISSES}, readahead
 * included), major faults ({@link Category#MAJOR_FAULTS}), and the slowest reads as span events
 * with the file's device and inode. Only threads of processes the kernel follows are kept per slot;
 * the signal is relevant only to phases of followed processes, and a phase wholly before its
 * process was followed gets its coverage (0) and no amounts.
 *
 * <p>Attribution: as {@link PhaseFileIo} says, by 16.8 ms slot with first and last times; reads and
 * writes count at their return, pages and faults when they happen.
 *
 * <p>Attributes: {@code aiprof.fileio.reads}, {@code .read_ms}, {@code .writes}, {@code
 * .readahead_pages}, {@code .slow_reads}, {@code .coverage} (the share of the phase after its
 * process was followed: the values say nothing of the time before, so below 1 they undercount).
 * Without the scheduler probe's follow maps nothing is followed and the signal is relevant to no
 * phase (it would only ever say zero). Ready when the slots and the ring are drained past the
 * phase's end. Thread-safety: called on the engine's thread; reads {@link ThreadActivity}.
 */
final class FileIoSignal implements PhaseSignal {
  static final AttributeKey<Long> READS = AttributeKey.longKey("aiprof.fileio.reads");
  static final AttributeKey<Double> READ_MS = AttributeKey.doubleKey("aiprof.fileio.read_ms");
  static final AttributeKey<Long> WRITES = AttributeKey.longKey("aiprof.fileio.writes");
  static final AttributeKey<Long> READAHEAD = AttributeKey.longKey("aiprof.fileio.readahead_pages");
  static final AttributeKey<Long> SLOW_READS = AttributeKey.longKey("aiprof.fileio.slow_reads");
  static final AttributeKey<Double> COVERAGE = AttributeKey.doubleKey("aiprof.fileio.coverage");
  static final String SLOW_READ_EVENT = "aiprof.fileio.slow_read";
  static final AttributeKey<Double> SLOW_MS = AttributeKey.doubleKey("aiprof.fileio.read_ms");
  static final AttributeKey<String> DEVICE = AttributeKey.stringKey("aiprof.fileio.device");
  static final AttributeKey<Long> INODE = AttributeKey.longKey("aiprof.fileio.inode");
  static final AttributeKey<Long> OFFSET = AttributeKey.longKey("aiprof.fileio.offset");
  static final AttributeKey<Long> BYTES = AttributeKey.longKey("aiprof.fileio.bytes");
  private static final long MARGIN_NS = 20_000_000;

  private final ThreadActivity<ProcessKey, FileIoSlot, SlowRead> activity;
  private final boolean following;
  private final IntFunction<Optional<Followed>> followed;
  private final LongSupplier slotsCompleteUntil;
  private final LongSupplier ringDrainedUntil;
  private final long slotNs;
  private final int maxEvents;

  /**
   * @param following whether the probe shares the scheduler probe's follow maps
   * @param followed the process followed under a pid now (its key, and since when it is followed),
   *     if any
   */
  FileIoSignal(
      ThreadActivity<ProcessKey, FileIoSlot, SlowRead> activity,
      boolean following,
      IntFunction<Optional<Followed>> followed,
      LongSupplier slotsCompleteUntil,
      LongSupplier ringDrainedUntil,
      long slotNs,
      int maxEvents) {
    this.activity = activity;
    this.following = following;
    this.followed = followed;
    this.slotsCompleteUntil = slotsCompleteUntil;
    this.ringDrainedUntil = ringDrainedUntil;
    this.slotNs = slotNs;
    this.maxEvents = maxEvents;
  }

  @Override
  public String name() {
    return FileIoProvider.NAME;
  }

  /**
   * Phases of a followed process, when processes are followed: any of them may read files. Only
   * followed processes have slots, so for any other this signal could only say zero.
   */
  @Override
  public boolean relevant(Phase phase) {
    return following && phase.pid() > 0 && followed.apply(phase.pid()).isPresent();
  }

  /** Ready once the ended slots and the slow-read ring are drained past the phase's end. */
  @Override
  public boolean ready(Phase phase) {
    long ring = ringDrainedUntil.getAsLong();
    return slotsCompleteUntil.getAsLong() > phase.endNs()
        && ring != Long.MIN_VALUE
        && ring - MARGIN_NS >= phase.endNs();
  }

  /** The share of the phase after its process ({@code f}, null: none) was followed. */
  static double coverage(Phase phase, Followed f) {
    long since = f == null ? Long.MAX_VALUE : f.sinceNs();
    if (since <= phase.startNs()) {
      return 1.0;
    }
    if (since >= phase.endNs()) {
      return 0.0;
    }
    return (phase.endNs() - since) / (double) phase.durationNs();
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    Followed f = followed.apply(phase.pid()).orElse(null);
    double coverage = coverage(phase, f);
    if (f == null || coverage == 0.0) {
      // Not followed during the phase: nothing seen is not nothing done, so no amounts.
      out.attribute(COVERAGE, coverage);
      return;
    }
    // The threads of the process followed under the pid now, by its key: a process that had the
    // pid before lends nothing to this one.
    ProcessKey p = f.process();
    List<Integer> tids = phase.processWide() ? activity.threadsOf(p) : List.of(phase.tid());
    PhaseFileIo io = PhaseFileIo.of(activity, p, tids, phase.startNs(), phase.endNs(), slotNs);
    describe(io, coverage, out);
  }

  private void describe(PhaseFileIo f, double coverage, PhaseDescription out) {
    out.attribute(READS, Math.round(f.reads))
        .attribute(READ_MS, Math.round(f.readNs) / 1e6)
        .attribute(WRITES, Math.round(f.writes))
        .attribute(READAHEAD, Math.round(f.readahead))
        .attribute(SLOW_READS, (long) f.slow.size())
        .attribute(COVERAGE, coverage);
    out.amount(Category.BYTES_READ, Math.round(f.readBytes))
        .amount(Category.BYTES_WRITTEN, Math.round(f.writeBytes))
        .amount(Category.PAGE_CACHE_MISSES, Math.round(f.misses))
        .amount(Category.MAJOR_FAULTS, Math.round(f.majorFaults));
    f.slow.sort(Comparator.comparingLong(SlowRead::durationNs).reversed());
    for (SlowRead r : f.slow.subList(0, Math.min(maxEvents, f.slow.size()))) {
      out.event(
          SLOW_READ_EVENT,
          r.startNs(),
          Attributes.builder()
              .put(SLOW_MS, r.durationNs() / 1e6)
              .put(DEVICE, r.device())
              .put(INODE, r.ino())
              .put(OFFSET, r.pos())
              .put(BYTES, r.result())
              .put(Identity.TID, (long) r.tid())
              .build());
    }
  }
}
