package dev.aiprof.io.net;

import dev.aiprof.api.category.Category;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.api.phase.ThreadActivity;
import dev.aiprof.bpf.net.NetSlot;
import io.opentelemetry.api.common.AttributeKey;
import java.util.List;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * Describes a phase's TCP traffic on its thread (or, for a process-wide phase, every thread of its
 * process with traffic): bytes sent ({@link Category#NET_BYTES_SENT}) and received ({@link
 * Category#NET_BYTES_RECEIVED}) by sendmsg/recvmsg on the thread, and retransmits of the thread's
 * sockets ({@link Category#TCP_RETRANSMITS}), counted where the kernel retransmitted (often after
 * the send, in softirq).
 *
 * <p>Attribution: the kernel keeps a followed thread's traffic per 16.8 ms time slot with the times
 * of the slot's first and last message; an entry inside the phase counts whole, one that straddles
 * a boundary by the share of its first-to-last interval inside. Only threads of followed processes
 * are seen, so the signal is relevant only to phases of followed processes. Attributes {@code
 * aiprof.net.tcp.sent_bytes}, {@code .received_bytes}, {@code .retransmits}, {@code .coverage} (the
 * share of the phase after its process was followed; below 1 the values undercount, at 0 there are
 * no values or amounts). Ready once the slots are drained past the phase's end. Thread-safety:
 * called on the engine's thread; reads {@link ThreadActivity} (synchronized).
 */
final class NetSignal implements PhaseSignal {
  static final AttributeKey<Long> SENT = AttributeKey.longKey("aiprof.net.tcp.sent_bytes");
  static final AttributeKey<Long> RECEIVED = AttributeKey.longKey("aiprof.net.tcp.received_bytes");
  static final AttributeKey<Long> RETRANSMITS = AttributeKey.longKey("aiprof.net.tcp.retransmits");
  static final AttributeKey<Double> COVERAGE = AttributeKey.doubleKey("aiprof.net.tcp.coverage");

  private final ThreadActivity<Integer, NetSlot, ThreadActivity.Event<Integer>> activity;
  private final IntToLongFunction followedSince;
  private final LongSupplier slotsCompleteUntil;
  private final long slotNs;

  /**
   * @param followedSince since when a pid is followed (CLOCK_MONOTONIC ns), {@code Long.MAX_VALUE}
   *     when it is not
   * @param slotNs the probe's slot length: no entry spans more
   */
  NetSignal(
      ThreadActivity<Integer, NetSlot, ThreadActivity.Event<Integer>> activity,
      IntToLongFunction followedSince,
      LongSupplier slotsCompleteUntil,
      long slotNs) {
    this.activity = activity;
    this.followedSince = followedSince;
    this.slotsCompleteUntil = slotsCompleteUntil;
    this.slotNs = slotNs;
  }

  @Override
  public String name() {
    return NetProvider.NAME;
  }

  @Override
  public boolean relevant(Phase phase) {
    return phase.pid() > 0 && followedSince.applyAsLong(phase.pid()) != Long.MAX_VALUE;
  }

  /** The share of the phase after its process was followed. */
  double coverage(Phase phase) {
    long since = followedSince.applyAsLong(phase.pid());
    if (since <= phase.startNs()) {
      return 1.0;
    }
    if (since >= phase.endNs()) {
      return 0.0;
    }
    return (phase.endNs() - since) / (double) phase.durationNs();
  }

  @Override
  public boolean ready(Phase phase) {
    return slotsCompleteUntil.getAsLong() > phase.endNs();
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    double coverage = coverage(phase);
    out.attribute(COVERAGE, coverage);
    if (coverage == 0.0) {
      return; // not followed during the phase: nothing seen is not nothing sent
    }
    List<Integer> tids =
        phase.processWide() ? activity.threadsOf(phase.pid()) : List.of(phase.tid());
    double[] sum = new double[3];
    for (int tid : tids) {
      activity.slots(
          phase.pid(),
          tid,
          phase.startNs(),
          phase.endNs(),
          slotNs,
          s -> {
            double share = share(s, phase.startNs(), phase.endNs());
            sum[0] += s.sent() * share;
            sum[1] += s.received() * share;
            sum[2] += s.retransmits() * share;
          });
    }
    long sent = Math.round(sum[0]);
    long received = Math.round(sum[1]);
    long retransmits = Math.round(sum[2]);
    out.attribute(SENT, sent).attribute(RECEIVED, received).attribute(RETRANSMITS, retransmits);
    out.amount(Category.NET_BYTES_SENT, sent)
        .amount(Category.NET_BYTES_RECEIVED, received)
        .amount(Category.TCP_RETRANSMITS, retransmits);
  }

  /** The share of an entry's traffic in {@code [start, end)}: of {@code [first, last]} inside. */
  static double share(NetSlot s, long start, long end) {
    long last = Math.max(s.firstNs(), s.lastNs()) + 1; // half-open; a single message is one ns
    long overlap = Math.max(0, Math.min(last, end) - Math.max(s.firstNs(), start));
    return overlap / (double) (last - s.firstNs());
  }
}
