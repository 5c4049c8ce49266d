package dev.aiprof.agent.privilege;

import dev.aiprof.agent.identity.Capabilities.Cap;
import dev.aiprof.bpf.Errno;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Drops every capability but {@code keep} from every thread of this process. Linux keeps
 * capabilities per thread and a new thread copies its creator's, so {@link #everyThread} has each
 * thread drop its own: {@code libaiprofcap.so} ({@link CapDropLibrary}) signals every thread of
 * {@code /proc/self/task} (the JVM's own GC, JIT, VM and signal threads and the launcher's first
 * thread included), each clears its ambient set, reduces its bounding set (while CAP_SETPCAP is
 * effective) and calls capset; threads started afterwards inherit the kept set. Then every thread's
 * sets are read back from {@code /proc/self/task/TID/status}: a thread that still holds more than
 * {@code keep} is a {@link Holdout}, named, with why. Threads share one address space, so the drop
 * is defence in depth: the bounding set of the unit or pod is the boundary.
 *
 * <p>Without the library (a build that did not ship it) the drop falls back to {@link #keepOnly} on
 * the calling thread, and every other thread is a holdout. Stateless apart from the library, loaded
 * once; thread-safe (one process-wide drop at a time).
 */
public final class CapabilityDrop {
  /** How long every thread has to answer, in all. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Names a log line lists at most; the rest are counted. */
  static final int NAMED_HOLDOUTS = 16;

  /**
   * What a drop did.
   *
   * @param kept held before and kept, among the capabilities aiprof knows
   * @param dropped how many capabilities (of any kind) the calling thread held and no longer does
   * @param threads the threads of the process when the sets were read back
   * @param signal the signal the library used, or 0 when it did not run
   * @param holdouts the threads that still hold more than was kept
   * @param fallback why the drop ran on the calling thread only, or null
   */
  public record Result(
      Set<Cap> kept,
      int dropped,
      int threads,
      int signal,
      List<Holdout> holdouts,
      String fallback) {
    public Result {
      kept = Set.copyOf(kept);
      holdouts = List.copyOf(holdouts);
    }
  }

  /**
   * A thread that still holds a capability beyond what was kept.
   *
   * @param tid its id
   * @param name its name ({@code /proc/self/task/TID/comm})
   * @param why what the drop saw on it
   */
  public record Holdout(int tid, String name, String why) {
    @Override
    public String toString() {
      return "'" + name + "' (tid " + tid + ": " + why + ")";
    }
  }

  private static CapDropLibrary library;
  private static String unavailable;

  private CapabilityDrop() {}

  /**
   * Keeps only {@code keep} (those of it held now) on every thread of this process.
   *
   * @param readBack whether to read every thread's sets back and name the holdouts (else the result
   *     counts the threads the library answered for, and lists no holdout)
   */
  public static synchronized Result everyThread(Set<Cap> keep, boolean readBack) {
    long mask = mask(keep);
    CapSyscalls.Sets before = CapSyscalls.get();
    CapDropLibrary.Answer answer = null;
    String fallback = null;
    try {
      answer = library().dropAll(mask, TIMEOUT);
    } catch (IllegalStateException e) {
      fallback = e.getMessage();
      keepOnly(keep);
    }
    long permitted = before.permitted() & mask;
    int signal = answer == null ? 0 : answer.signal();
    int dropped = Long.bitCount(before.permitted() & ~permitted);
    if (!readBack) {
      int threads = answer == null ? 1 : answer.threads().size();
      return new Result(caps(permitted), dropped, threads, signal, List.of(), fallback);
    }
    List<Tasks.Task> tasks = Tasks.read(Tasks.SELF);
    return new Result(
        caps(permitted),
        dropped,
        tasks.size(),
        signal,
        holdouts(tasks, answer, mask, fallback),
        fallback);
  }

  private static CapDropLibrary library() {
    if (library == null && unavailable == null) {
      try {
        library = CapDropLibrary.load(CapDropLibrary.shipped());
      } catch (IllegalStateException | UnsupportedOperationException e) {
        unavailable = e.getMessage();
      }
    }
    if (library == null) {
      throw new IllegalStateException(unavailable);
    }
    return library;
  }

  /**
   * The threads of {@code tasks} that hold more than {@code mask}, each with what the library said
   * of it (pure).
   */
  static List<Holdout> holdouts(
      List<Tasks.Task> tasks, CapDropLibrary.Answer answer, long mask, String fallback) {
    Map<Integer, CapDropLibrary.ThreadAnswer> byTid = new HashMap<>();
    if (answer != null) {
      answer.threads().forEach(t -> byTid.put(t.tid(), t));
    }
    List<Holdout> out = new ArrayList<>();
    for (Tasks.Task t : tasks) {
      if (t.caps().exceeds(mask)) {
        String why =
            answer == null
                ? "no process-wide drop: " + fallback
                : why(byTid.get(t.tid()), t.caps(), mask);
        out.add(new Holdout(t.tid(), t.name(), why));
      }
    }
    return out;
  }

  private static String why(CapDropLibrary.ThreadAnswer a, TaskCaps caps, long mask) {
    if (a == null) {
      return "not signalled: started after the last look at /proc/self/task, by a thread that"
          + " had not dropped, or beyond "
          + CapDropLibrary.MAX_THREADS
          + " threads";
    }
    return switch (a.state()) {
      case FAILED -> "its drop failed: " + Errno.describe(a.errno());
      case NO_ANSWER ->
          "no answer within " + TIMEOUT.toSeconds() + " s (signal blocked, or stuck in the kernel)";
      case NOT_SENT -> "the signal could not be sent: " + Errno.describe(a.errno());
      case DROPPED, PENDING, GONE ->
          "answered "
              + a.state().name().toLowerCase(java.util.Locale.ROOT)
              + " but holds 0x"
              + Long.toHexString((caps.effective() | caps.permitted()) & ~mask);
    };
  }

  /** Keeps only {@code keep} (those of it held now) on the calling thread. */
  public static Result keepOnly(Set<Cap> keep) {
    long mask = mask(keep);
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
    return new Result(
        caps(permitted), Long.bitCount(before.permitted() & ~permitted), 1, 0, List.of(), null);
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

  /** The one log line: what is kept and why, on how many threads, and which did not drop. */
  public static String describe(Result r, Set<String> collectors, int dropped) {
    List<String> parts = new ArrayList<>();
    for (Need n : Need.values()) {
      if (r.kept().contains(n.cap()) && n.runtime()) {
        Set<String> who = new TreeSet<>(n.collectors());
        who.retainAll(collectors);
        if (who.isEmpty()) {
          continue; // kept for another collector's need
        }
        parts.add(n.cap().name() + " (" + String.join(", ", who) + ": " + n.later() + ")");
      }
    }
    String kept = parts.isEmpty() ? "none" : String.join("; ", parts);
    StringBuilder b =
        new StringBuilder("capabilities after attach: kept ")
            .append(kept)
            .append("; dropped the ")
            .append(dropped)
            .append(" others held");
    int held = r.holdouts().size();
    if (held == 0) {
      b.append(" on every one of the ")
          .append(r.threads())
          .append(" threads (JVM threads included; threads started later inherit the kept set)");
      return b.toString();
    }
    b.append(" on ")
        .append(r.threads() - held)
        .append(" of ")
        .append(r.threads())
        .append(" threads");
    if (r.fallback() != null) {
      b.append(" (process-wide drop unavailable: ").append(r.fallback()).append(')');
    }
    b.append("; ")
        .append(held)
        .append(held == 1 ? " thread keeps" : " threads keep")
        .append(" more: ");
    b.append(
        r.holdouts().stream()
            .limit(NAMED_HOLDOUTS)
            .map(Holdout::toString)
            .collect(Collectors.joining(", ")));
    if (held > NAMED_HOLDOUTS) {
      b.append(" and ").append(held - NAMED_HOLDOUTS).append(" more");
    }
    return b.toString();
  }

  static long mask(Set<Cap> keep) {
    long mask = 0;
    for (Cap c : keep) {
      mask |= 1L << c.bit();
    }
    return mask;
  }

  private static Set<Cap> caps(long mask) {
    Set<Cap> out = EnumSet.noneOf(Cap.class);
    for (Cap c : Cap.values()) {
      if ((mask & (1L << c.bit())) != 0) {
        out.add(c);
      }
    }
    return out;
  }

  private static boolean inBounding(int cap) {
    try {
      return CapSyscalls.prctl(CapSyscalls.PR_CAPBSET_READ, cap, 0) == 1;
    } catch (IllegalStateException e) {
      return false; // EINVAL: beyond the kernel's last capability
    }
  }
}
