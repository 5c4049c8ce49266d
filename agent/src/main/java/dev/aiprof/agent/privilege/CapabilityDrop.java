package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drops every capability but {@code keep} from the calling thread: its ambient set, its bounding
 * set (when it holds CAP_SETPCAP, which is then dropped too), its permitted, effective and
 * inheritable sets (capset). Linux keeps capabilities per thread and a new thread copies its
 * creator's, so a drop on the thread that starts the agent, before the agent starts its threads,
 * covers every agent thread; the JVM's own threads (GC, JIT, signal dispatcher), started at boot,
 * keep the set the process was started with, which the service's CapabilityBoundingSet bounds.
 * Threads share one address space, so the drop is defence in depth, not a boundary between them.
 */
public final class CapabilityDrop {
  /**
   * What a drop did.
   *
   * @param kept held before and kept, among the capabilities aiprof knows
   * @param dropped how many capabilities (of any kind) the thread held and no longer does
   */
  public record Result(Set<Cap> kept, int dropped) {}

  private CapabilityDrop() {}

  /** Keeps only {@code keep} (those of it held now) on the calling thread. */
  public static Result keepOnly(Set<Cap> keep) {
    long mask = 0;
    for (Cap c : keep) {
      mask |= 1L << c.bit();
    }
    CapSyscalls.Sets before = CapSyscalls.get();
    CapSyscalls.prctl(CapSyscalls.PR_CAP_AMBIENT, CapSyscalls.PR_CAP_AMBIENT_CLEAR_ALL, 0);
    if ((before.effective() & (1L << Cap.CAP_SETPCAP.bit())) != 0) {
      for (int cap = 0; cap < 64; cap++) {
        if ((mask & (1L << cap)) == 0 && inBounding(cap)) {
          CapSyscalls.prctl(CapSyscalls.PR_CAPBSET_DROP, cap, 0);
        }
      }
    }
    long permitted = before.permitted() & mask;
    CapSyscalls.set(new CapSyscalls.Sets(permitted, permitted, 0));
    Set<Cap> kept = EnumSet.noneOf(Cap.class);
    for (Cap c : Cap.values()) {
      if ((permitted & (1L << c.bit())) != 0) {
        kept.add(c);
      }
    }
    return new Result(kept, Long.bitCount(before.permitted() & ~permitted));
  }

  /** The capabilities the collectors that will use a privilege need, at start-up or after it. */
  public static Set<Cap> needs(Set<String> collectors, boolean afterStart) {
    Set<Cap> out = EnumSet.noneOf(Cap.class);
    for (Need n : Need.values()) {
      if ((!afterStart || n.runtime()) && n.collectors().stream().anyMatch(collectors::contains)) {
        out.add(n.cap());
      }
    }
    return out;
  }

  /** The one log line: what is kept and why. */
  public static String describe(Result r, Set<String> collectors, int dropped) {
    List<String> parts = new ArrayList<>();
    for (Need n : Need.values()) {
      if (r.kept().contains(n.cap()) && n.runtime()) {
        Set<String> who = new java.util.TreeSet<>(n.collectors());
        who.retainAll(collectors);
        parts.add(n.cap().name() + " (" + String.join(", ", who) + ": " + n.later() + ")");
      }
    }
    String kept = parts.isEmpty() ? "none" : parts.stream().collect(Collectors.joining("; "));
    return "capabilities after attach: kept "
        + kept
        + "; dropped the "
        + dropped
        + " others held (by the main thread: threads started before keep the start-up set,"
        + " which the bounding set limits)";
  }

  private static boolean inBounding(int cap) {
    try {
      return CapSyscalls.prctl(CapSyscalls.PR_CAPBSET_READ, cap, 0) == 1;
    } catch (IllegalStateException e) {
      return false; // EINVAL: beyond the kernel's last capability
    }
  }
}
