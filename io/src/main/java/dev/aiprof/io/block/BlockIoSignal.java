package dev.aiprof.io.block;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.bpf.blockio.BlockIoDir;
import dev.aiprof.bpf.blockio.BlockIoRequest;
import dev.aiprof.bpf.blockio.InflightRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * Describes a phase's block I/O on its thread (or, for a process-wide phase, every thread of its
 * process with requests): {@link Category#BLOCK_IO_WAIT} is the time its requests were in flight
 * (from start to completion) inside the phase, summed over requests, so overlapping asynchronous
 * requests add up; requests and bytes read and written count the requests that completed in it; the
 * longest requests are span events.
 *
 * <p>Only processes the kernel follows (the scheduler probe's {@code followed} map, which the block
 * I/O probe reads) have their requests sent one by one; for others the signal is not relevant, so a
 * phase it could not see is not described as one without I/O. Block bytes are attributes, not
 * {@link Category#BYTES_READ} (which counts what the threads read through syscalls, page cache hits
 * included).
 *
 * <p>A request is sent when it completes, so one of the phase's threads still in flight after the
 * phase's end has sent nothing yet: its wait inside the phase comes from a read of the kernel's
 * in-flight map ({@link InflightView}) begun after the phase's end, and {@code
 * aiprof.blockio.in_flight} counts such requests (not in the phase's requests or bytes: they
 * complete after it, and are no span events yet). Ready when such a read exists and the ring is
 * drained past the phase's end and past that read (a request that completed during it is in the
 * ring). Thread-safety: called on the engine's thread; reads {@link BlockIoActivity}
 * (synchronized).
 */
final class BlockIoSignal implements PhaseSignal {
  static final AttributeKey<Double> WAIT_MS = AttributeKey.doubleKey("aiprof.blockio.wait_ms");
  static final AttributeKey<Long> REQUESTS = AttributeKey.longKey("aiprof.blockio.requests");
  static final AttributeKey<Long> READ_BYTES = AttributeKey.longKey("aiprof.blockio.read_bytes");
  static final AttributeKey<Long> WRITTEN_BYTES =
      AttributeKey.longKey("aiprof.blockio.written_bytes");
  static final String SLOW_EVENT = "aiprof.blockio.request";
  static final AttributeKey<Double> REQUEST_MS =
      AttributeKey.doubleKey("aiprof.blockio.request_ms");
  static final AttributeKey<Long> REQUEST_BYTES = AttributeKey.longKey("aiprof.blockio.bytes");
  static final AttributeKey<Long> IN_FLIGHT = AttributeKey.longKey("aiprof.blockio.in_flight");
  private static final long MARGIN_NS = 20_000_000;

  private final BlockIoActivity activity;
  private final IntPredicate followed;
  private final LongSupplier ringDrainedUntil;
  private final InflightView inflight;
  private final IntFunction<String> deviceName;
  private final int maxEvents;

  BlockIoSignal(
      BlockIoActivity activity,
      IntPredicate followed,
      LongSupplier ringDrainedUntil,
      InflightView inflight,
      IntFunction<String> deviceName,
      int maxEvents) {
    this.activity = activity;
    this.followed = followed;
    this.ringDrainedUntil = ringDrainedUntil;
    this.inflight = inflight;
    this.deviceName = deviceName;
    this.maxEvents = maxEvents;
  }

  @Override
  public String name() {
    return BlockIoProvider.NAME;
  }

  /**
   * Phases of processes the kernel follows (their requests are sent one by one), or followed until
   * they exited: a phase that ends just before its process exits reaches the engine after the
   * follow service unfollowed the process (the kernel's entry is gone), but the requests it made
   * while followed are kept.
   */
  @Override
  public boolean relevant(Phase phase) {
    return phase.pid() > 0 && (followed.test(phase.pid()) || activity.holds(phase.pid()));
  }

  /**
   * Ready once the ring is drained past the phase's end, an in-flight read begun after the end
   * exists, and the ring is drained past that read too.
   */
  @Override
  public boolean ready(Phase phase) {
    long ring = ringDrainedUntil.getAsLong();
    if (ring == Long.MIN_VALUE || ring - MARGIN_NS < phase.endNs()) {
      return false;
    }
    InflightView.Snapshot v = inflight.after(phase.endNs());
    return v != null && ring - MARGIN_NS >= v.finishedNs();
  }

  /** Requests of the phase's threads in flight after its end: their count and wait inside it. */
  record Pending(long waitNs, long requests) {}

  /**
   * The requests of {@code snapshot} (begun after the phase's end) that belong to the phase's
   * threads, began before its end and are not among the {@code completed} ones (a request that
   * completed after the read is in both).
   */
  static Pending pending(
      Phase phase, InflightView.Snapshot snapshot, List<BlockIoRequest> completed) {
    long wait = 0;
    long n = 0;
    for (InflightRequest q : snapshot.requests()) {
      boolean mine = q.pid() == phase.pid() && (phase.processWide() || q.tid() == phase.tid());
      // Only requests begun inside the phase: an entry older than the phase is far more often one
      // whose completion the probe missed (pruned later) than one request outlasting a phase, and
      // it would add the whole phase as wait to every later phase of the thread.
      if (!mine
          || q.startNs() < phase.startNs()
          || q.startNs() >= phase.endNs()
          || completed.stream().anyMatch(r -> r.tid() == q.tid() && r.startNs() == q.startNs())) {
        continue;
      }
      wait += phase.endNs() - q.startNs();
      n++;
    }
    return new Pending(wait, n);
  }

  /** What a phase's threads' requests add up to. */
  record Totals(long waitNs, long requests, long readBytes, long writtenBytes) {}

  /** Sums {@code requests} over the window {@code [from, to)}. */
  static Totals sum(List<BlockIoRequest> requests, long from, long to) {
    long wait = 0;
    long n = 0;
    long read = 0;
    long written = 0;
    for (BlockIoRequest r : requests) {
      wait += r.overlapNs(from, to);
      if (r.endNs() >= from && r.endNs() < to) {
        n++;
        if (r.dir() == BlockIoDir.READ) {
          read += r.bytes();
        } else if (r.dir() == BlockIoDir.WRITE) {
          written += r.bytes();
        }
      }
    }
    return new Totals(wait, n, read, written);
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    List<Integer> tids =
        phase.processWide() ? activity.threadsOf(phase.pid()) : List.of(phase.tid());
    List<BlockIoRequest> requests = new ArrayList<>();
    for (int tid : tids) {
      requests.addAll(activity.of(tid, phase.startNs(), phase.endNs()));
    }
    Totals t = sum(requests, phase.startNs(), phase.endNs());
    InflightView.Snapshot v = inflight.latestAfter(phase.endNs());
    Pending p = v == null ? new Pending(0, 0) : pending(phase, v, requests);
    long waitNs = t.waitNs() + p.waitNs();
    out.attribute(WAIT_MS, waitNs / 1e6)
        .attribute(REQUESTS, t.requests())
        .attribute(READ_BYTES, t.readBytes())
        .attribute(WRITTEN_BYTES, t.writtenBytes());
    if (v != null) {
      out.attribute(IN_FLIGHT, p.requests());
    }
    out.time(Category.BLOCK_IO_WAIT, waitNs);
    requests.sort(Comparator.comparingLong(BlockIoRequest::durationNs).reversed());
    for (BlockIoRequest r : requests.subList(0, Math.min(maxEvents, requests.size()))) {
      out.event(
          SLOW_EVENT,
          r.startNs(),
          Attributes.builder()
              .put(BlockIoMetrics.DEVICE, deviceName.apply(r.dev()))
              .put(BlockIoMetrics.DIRECTION, r.dir().label())
              .put(REQUEST_MS, r.durationNs() / 1e6)
              .put(REQUEST_BYTES, r.bytes())
              .put(Identity.TID, (long) r.tid())
              .build());
    }
  }
}
