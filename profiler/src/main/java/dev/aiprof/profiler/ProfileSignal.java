package dev.aiprof.profiler;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.phase.Phase;
import dev.aiprof.api.phase.PhaseDescription;
import dev.aiprof.api.phase.PhaseSignal;
import dev.aiprof.profiler.symbols.Frame;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Describes a phase's CPU profile: the on-CPU samples of its thread (every thread of its process
 * for a process-wide phase) taken inside it, as the top functions by self and by total samples; and
 * its off-CPU episodes of at least {@code sched.min-stall} as span events saying where the thread
 * waited (the innermost named user frame, the kernel's innermost frames, the stack).
 *
 * <p>Attributes: {@code aiprof.profile.samples} (with a stack), {@code aiprof.profile.samples_lost}
 * (on-CPU samples whose stack the kernel did not keep: a stack-map collision, or freed before it
 * was read; not in the shares), {@code aiprof.profile.top_self} and {@code
 * aiprof.profile.top_total} (string arrays of {@code "function 87.5%"}, at most {@code profile.top}
 * entries of at most {@value #MAX_LABEL} characters). Events: {@code aiprof.profile.offcpu} (the
 * longest {@code maxEvents}). Ready when the ring is drained past the phase's end. Thread-safety:
 * called on the engine's thread; the collector is synchronized.
 */
final class ProfileSignal implements PhaseSignal {
  static final AttributeKey<Long> SAMPLES = AttributeKey.longKey("aiprof.profile.samples");
  static final AttributeKey<Long> LOST = AttributeKey.longKey("aiprof.profile.samples_lost");
  static final AttributeKey<List<String>> TOP_SELF =
      AttributeKey.stringArrayKey("aiprof.profile.top_self");
  static final AttributeKey<List<String>> TOP_TOTAL =
      AttributeKey.stringArrayKey("aiprof.profile.top_total");
  static final String OFFCPU_EVENT = "aiprof.profile.offcpu";
  static final AttributeKey<Double> OFFCPU_MS = AttributeKey.doubleKey("aiprof.profile.offcpu_ms");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("aiprof.sched.state");
  static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("aiprof.profile.function");
  static final AttributeKey<String> KERNEL = AttributeKey.stringKey("aiprof.profile.kernel");
  static final AttributeKey<String> STACK = AttributeKey.stringKey("aiprof.profile.stack");
  static final int MAX_LABEL = 160;
  static final int MAX_STACK = 1024;
  private static final long MARGIN_NS = 20_000_000;

  private final ProfileCollector profile;
  private final LongSupplier ringDrainedUntil;
  private final int top;
  private final long minStallNs;
  private final int maxEvents;

  ProfileSignal(
      ProfileCollector profile,
      LongSupplier ringDrainedUntil,
      int top,
      long minStallNs,
      int maxEvents) {
    this.profile = profile;
    this.ringDrainedUntil = ringDrainedUntil;
    this.top = top;
    this.minStallNs = minStallNs;
    this.maxEvents = maxEvents;
  }

  @Override
  public String name() {
    return "profile";
  }

  @Override
  public boolean relevant(Phase phase) {
    return phase.pid() > 0;
  }

  @Override
  public boolean ready(Phase phase) {
    long ring = ringDrainedUntil.getAsLong();
    return ring != Long.MIN_VALUE && ring - MARGIN_NS >= phase.endNs();
  }

  @Override
  public void describe(Phase phase, PhaseDescription out) {
    profile.resolve();
    Samples s = profile.samples();
    List<Samples.Sample> got =
        phase.processWide()
            ? s.ofProcess(phase.pid(), phase.startNs(), phase.endNs())
            : s.of(phase.pid(), phase.tid(), phase.startNs(), phase.endNs());
    WeightedStacks on = new WeightedStacks(ProfileCollector.WINDOW_STACKS);
    List<Samples.Sample> off = new ArrayList<>();
    WeightedStacks offStacks = new WeightedStacks(ProfileCollector.WINDOW_STACKS);
    long lost = 0;
    for (Samples.Sample x : got) {
      if (x.onCpu() && x.stack().lost() && x.stack().depth() == 0) {
        lost++; // no frames to attribute: counted apart, not a function
      } else if (x.onCpu()) {
        on.add(profile.labels(x.stack(), false), 1, x.weight());
      } else if (x.weight() >= minStallNs) {
        off.add(x);
        offStacks.add(profile.labels(x.stack(), false), 1, x.weight());
      }
    }
    out.attribute(SAMPLES, on.samples());
    if (lost > 0) {
      out.attribute(LOST, lost);
    }
    if (!on.isEmpty()) {
      out.attribute(TOP_SELF, shares(on.topSelf(top), on.samples(), true));
      out.attribute(TOP_TOTAL, shares(on.topTotal(top), on.samples(), false));
    }
    profile.addPhase(phase.pid(), phase.name(), phase.origin(), on, offStacks);
    off.sort(Comparator.comparingLong(Samples.Sample::weight).reversed());
    for (Samples.Sample x : off.subList(0, Math.min(maxEvents, off.size()))) {
      out.event(OFFCPU_EVENT, x.timestampNs() - x.weight(), offCpu(x));
    }
  }

  private Attributes offCpu(Samples.Sample x) {
    Frame leaf = profile.userLeaf(x.stack());
    List<String> labels = profile.labels(x.stack(), false);
    List<String> kernel = profile.kernelLabels(x.stack());
    return Attributes.builder()
        .put(OFFCPU_MS, x.weight() / 1e6)
        .put(STATE, x.state() == 2 ? "blocked" : x.state() == 1 ? "sleep" : "other")
        .put(FUNCTION, leaf == null ? "[no user stack]" : cut(leaf.label(), MAX_LABEL))
        .put(KERNEL, cut(String.join(";", kernel), MAX_LABEL * 2))
        .put(STACK, tail(String.join(";", labels), MAX_STACK))
        .put(Identity.TID, (long) x.tid())
        .build();
  }

  private static List<String> shares(List<WeightedStacks.Function> fs, long total, boolean self) {
    List<String> out = new ArrayList<>();
    for (WeightedStacks.Function f : fs) {
      double pct = 100.0 * (self ? f.selfSamples() : f.totalSamples()) / total;
      out.add(cut(f.name(), MAX_LABEL) + " " + String.format("%.1f%%", pct));
    }
    return out;
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** The end of {@code s} (the leaf side of a folded stack). */
  static String tail(String s, int max) {
    return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
  }
}
