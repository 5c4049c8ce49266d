package dev.aiprof.api;

import dev.aiprof.api.metrics.MetricSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Forgets what a collector holds per cgroup (kernel map entries, Java totals) once the cgroup is
 * removed and its last values were exported, so that state keyed by cgroups stays as small as the
 * live cgroups on a node with pod churn.
 *
 * <p>A {@link #sweep} (the collector's housekeeping) reads the entries it holds, then walks the
 * hierarchies ({@link Cgroups#refresh}: after the read, so an entry whose cgroup still exists is in
 * the walk), and marks the cgroups that are gone. A later sweep deletes the entries of a marked
 * cgroup, still gone, once a metric collection that started after the mark has ended (it exported
 * their last values; collections count only through {@link #exporting}), or once the mark is {@code
 * maxWait} old with no such collection (nothing exports them). What a removed cgroup adds after
 * that (a request still in flight, writeback charged to it) makes a new entry, swept again.
 *
 * <p>Bounded: marks are kept only for cgroups of the latest sweep's entries. Thread-safe: sweeps on
 * the housekeeping thread, collections on the metrics thread.
 */
public final class RemovedCgroups {
  /** A workload's cgroup identity: the v2 id and the v1 memory-cgroup id (0: none). */
  public record Id(long v2, long v1) {}

  /** How long a mark waits for a collection by default. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  private record Mark(long collectionsStarted, long atNanos) {}

  private final Cgroups cgroups;
  private final long maxWaitNanos;
  private final LongSupplier nanoClock;
  private Map<Id, Mark> marked = new HashMap<>();
  private long started;
  private long ended;
  private long removed;

  public RemovedCgroups(Cgroups cgroups, Duration maxWait, LongSupplier nanoClock) {
    this.cgroups = cgroups;
    this.maxWaitNanos = maxWait.toNanos();
    this.nanoClock = nanoClock;
  }

  public RemovedCgroups(Cgroups cgroups) {
    this(cgroups, MAX_WAIT, System::nanoTime);
  }

  /** {@code source}, with each of its collections counted as one export of what it reports. */
  public MetricSource exporting(MetricSource source) {
    return sink -> {
      synchronized (this) {
        started++;
      }
      try {
        source.collect(sink);
      } finally {
        synchronized (this) {
          ended++;
        }
      }
    };
  }

  /**
   * One sweep: reads {@code entries}, walks the hierarchies, and calls {@code delete} with each
   * distinct cgroup of those entries that is due (see the class comment). Returns how many.
   */
  public <E> int sweep(
      Supplier<? extends Collection<E>> entries,
      ToLongFunction<E> v2,
      ToLongFunction<E> v1,
      Consumer<Id> delete) {
    Set<Id> seen = new LinkedHashSet<>();
    for (E e : entries.get()) {
      seen.add(new Id(v2.applyAsLong(e), v1.applyAsLong(e)));
    }
    return sweep(seen, delete);
  }

  /**
   * {@link #sweep}, with the cgroups due handed over at once (a map keyed by more than the cgroup
   * is walked once for all of them).
   */
  public <E> int sweepAll(
      Supplier<? extends Collection<E>> entries,
      ToLongFunction<E> v2,
      ToLongFunction<E> v1,
      Consumer<Set<Id>> deleteAll) {
    Set<Id> seen = new LinkedHashSet<>();
    for (E e : entries.get()) {
      seen.add(new Id(v2.applyAsLong(e), v1.applyAsLong(e)));
    }
    Set<Id> due = new LinkedHashSet<>();
    sweep(seen, due::add);
    if (!due.isEmpty()) {
      deleteAll.accept(due);
    }
    return due.size();
  }

  /** {@link #sweep} of cgroup ids read just before the call. */
  public int sweep(Collection<Id> seen, Consumer<Id> delete) {
    cgroups.refresh();
    long now = nanoClock.getAsLong();
    List<Id> due = new ArrayList<>();
    synchronized (this) {
      Map<Id, Mark> next = new HashMap<>();
      for (Id id : seen) {
        if (cgroups.exists(id.v2(), id.v1())) {
          continue;
        }
        Mark m = marked.get(id);
        if (m == null) {
          next.put(id, new Mark(started, now));
        } else if (ended > m.collectionsStarted() || now - m.atNanos() >= maxWaitNanos) {
          due.add(id);
        } else {
          next.put(id, m);
        }
      }
      marked = next;
    }
    for (Id id : due) {
      delete.accept(id);
    }
    synchronized (this) {
      removed += due.size();
    }
    return due.size();
  }

  /** Cgroups whose entries were deleted so far. */
  public synchronized long removed() {
    return removed;
  }

  /** Cgroups found gone whose entries wait for a collection. */
  public synchronized int waiting() {
    return marked.size();
  }
}
