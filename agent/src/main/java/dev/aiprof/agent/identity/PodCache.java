package dev.aiprof.agent.identity;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Pods by container id and by pod uid, filled from a {@link PodSource}.
 *
 * <p>A lookup of an unknown container id starts a refresh (one full {@link PodSource#pods()} on the
 * refresh executor), at most one per {@code minRefreshInterval} however many unknown ids arrive,
 * and waits for it at most {@code lookupWait}; a refresh that is slower, rate-limited or failing
 * leaves the caller with what is known (the pod by uid, or nothing). Failures are counted and
 * logged once per run of failures. Entries expire {@code ttl} after the refresh that last saw them;
 * at most {@code capacity} containers (and pods) are kept, least recently used go first.
 *
 * <p>Thread-safe.
 */
final class PodCache {
  private static final System.Logger LOG = System.getLogger(PodCache.class.getName());

  private final PodSource source;
  private final Executor executor;
  private final LongSupplier nanos;
  private final long minIntervalNanos;
  private final long ttlNanos;
  private final long waitNanos;
  private final ExpiringLru<String, PodMatch> byContainer;
  private final ExpiringLru<String, Pod> byUid;
  private final AtomicLong refreshes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong waitTimeouts = new AtomicLong();
  private final AtomicBoolean failing = new AtomicBoolean();
  private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
  private boolean started;
  private long lastStart;

  /**
   * Counters, for self-metrics.
   *
   * @param refreshes refreshes that succeeded
   * @param failures refreshes that failed
   * @param rateLimited lookups of unknown ids that found no refresh allowed
   * @param waitTimeouts lookups that stopped waiting for a slow refresh
   * @param containers containers known now
   */
  public record Stats(
      long refreshes, long failures, long rateLimited, long waitTimeouts, int containers) {}

  public PodCache(
      PodSource source,
      Executor executor,
      LongSupplier nanos,
      Duration minRefreshInterval,
      Duration ttl,
      Duration lookupWait,
      int capacity) {
    this.source = source;
    this.executor = executor;
    this.nanos = nanos;
    this.minIntervalNanos = minRefreshInterval.toNanos();
    this.ttlNanos = ttl.toNanos();
    this.waitNanos = lookupWait.toNanos();
    this.byContainer = new ExpiringLru<>(capacity, nanos);
    this.byUid = new ExpiringLru<>(capacity, nanos);
  }

  /**
   * The pod and container of container {@code id}; failing that, the pod {@code podUid} without its
   * container; else empty.
   */
  public Optional<PodMatch> lookup(String id, Optional<String> podUid) {
    PodMatch m = byContainer.get(id);
    if (m == null) {
      awaitRefresh();
      m = byContainer.get(id);
    }
    return m != null ? Optional.of(m) : podUid.flatMap(this::cachedPod);
  }

  /** The pod {@code uid} (no container), refreshing as for an unknown container id. */
  public Optional<PodMatch> lookupPod(String uid) {
    Optional<PodMatch> m = cachedPod(uid);
    if (m.isEmpty()) {
      awaitRefresh();
      m = cachedPod(uid);
    }
    return m;
  }

  /** Starts a refresh now unless one ran within the interval (for warming up at start). */
  public CompletableFuture<Void> refresh() {
    CompletableFuture<Void> f = startRefresh();
    return f == null ? CompletableFuture.completedFuture(null) : f;
  }

  public Stats stats() {
    return new Stats(
        refreshes.get(), failures.get(), rateLimited.get(), waitTimeouts.get(), byContainer.size());
  }

  private Optional<PodMatch> cachedPod(String uid) {
    return Optional.ofNullable(byUid.get(uid)).map(p -> new PodMatch(p, Optional.empty()));
  }

  private void awaitRefresh() {
    CompletableFuture<Void> f = startRefresh();
    if (f == null || waitNanos <= 0) {
      return;
    }
    try {
      f.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      waitTimeouts.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // refreshNow counts and logs its own failures
    }
  }

  /** The refresh in flight, a new one, or null when rate-limited. */
  private synchronized CompletableFuture<Void> startRefresh() {
    if (!inFlight.isDone()) {
      return inFlight;
    }
    long now = nanos.getAsLong();
    if (started && now - lastStart < minIntervalNanos) {
      rateLimited.incrementAndGet();
      return null;
    }
    started = true;
    lastStart = now;
    try {
      inFlight = CompletableFuture.runAsync(this::refreshNow, executor);
    } catch (RejectedExecutionException e) {
      return null; // shutting down
    }
    return inFlight;
  }

  private void refreshNow() {
    List<Pod> pods;
    try {
      pods = source.pods();
    } catch (InterruptedIOException e) {
      return; // closing
    } catch (Exception e) {
      failures.incrementAndGet();
      if (failing.compareAndSet(false, true)) {
        LOG.log(
            System.Logger.Level.WARNING,
            "pod metadata from "
                + source
                + " unavailable; workloads carry container ids without pod names until it"
                + " answers: "
                + e.getMessage());
      }
      return;
    }
    for (Pod p : pods) {
      byUid.put(p.uid(), p, ttlNanos);
      for (Pod.Container c : p.containers()) {
        if (!c.id().isEmpty()) {
          byContainer.put(c.id(), new PodMatch(p, Optional.of(c)), ttlNanos);
        }
      }
    }
    refreshes.incrementAndGet();
    if (failing.compareAndSet(true, false)) {
      LOG.log(System.Logger.Level.INFO, "pod metadata from " + source + " available again");
    }
  }
}
