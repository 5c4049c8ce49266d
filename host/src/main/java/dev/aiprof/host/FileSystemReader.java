package dev.aiprof.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * statvfs of the mounts, off the reading thread: {@code statvfs} of a hard NFS mount whose server
 * is gone sleeps in the kernel (D state) and cannot be interrupted, so it must never run on the
 * housekeeping thread every collector shares, nor in {@link HostCollector#start}.
 *
 * <p>A pass ({@link #request}) runs on this reader's own daemon thread ({@code
 * aiprof-host-filesystems}); each statvfs runs on a second daemon thread and is waited for at most
 * {@code deadline}. A mount whose call is still running at its deadline is skipped and counted
 * ({@link #timeouts}); its thread is left in the kernel and a fresh one takes the next mount. Until
 * that call returns, the mount is not statted again ({@link #skipped} counts each pass it misses),
 * so a dead server costs one thread, not one per pass. At most {@link #MAX_STUCK} calls may be
 * stuck at once; past that a pass stats nothing (all skipped) until one returns.
 *
 * <p>Thread-safety: {@link #request} and {@link #latest} may be called from any thread; one pass
 * runs at a time (a request while one runs is dropped: the next one reads newer mounts anyway).
 * {@link #close} stops the pass thread; stuck calls stay where the kernel holds them (daemon
 * threads, they do not keep the JVM up).
 */
final class FileSystemReader implements AutoCloseable {
  /** The most statvfs calls left stuck in the kernel at once (each holds one parked thread). */
  static final int MAX_STUCK = 16;

  private final StatFs statFs;
  private final long deadlineNanos;
  private final ExecutorService passes;
  private final Set<Path> stuck = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private volatile ExecutorService calls;
  private Path root; // the pass thread's
  private volatile Result latest;

  /** One pass: the file systems statted, and how many were over the cap. */
  record Result(List<HostReading.FileSystem> fileSystems, int over) {}

  /**
   * The mounts of one pass (already filtered and capped), and {@code init}: init's root ({@code
   * PROCFS/1/root}), where they are statted when it can be (the host's file systems also from a
   * container with hostPID), else under the agent's own root.
   */
  record Request(List<Mounts.Mount> mounts, int over, Path init) {}

  FileSystemReader(StatFs statFs, long deadlineNanos) {
    this.statFs = statFs;
    this.deadlineNanos = deadlineNanos;
    this.passes = Executors.newSingleThreadExecutor(daemon("aiprof-host-filesystems"));
    this.calls = newCalls();
  }

  /** Starts a pass over these mounts unless one is running; never waits. */
  void request(Request r) {
    if (!inFlight.compareAndSet(0, 1)) {
      return;
    }
    try {
      passes.execute(
          () -> {
            try {
              latest = pass(r);
            } finally {
              completed.incrementAndGet();
              inFlight.set(0);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      inFlight.set(0);
    }
  }

  /** The last finished pass, or null before the first. */
  Result latest() {
    return latest;
  }

  /** Passes finished so far. */
  long completed() {
    return completed.get();
  }

  /** Whether {@link #close} ran. */
  boolean closed() {
    return passes.isShutdown();
  }

  /** Whether a pass is running now. */
  boolean busy() {
    return inFlight.get() != 0;
  }

  /** Mounts whose statvfs outlived its deadline (each counted once, when it did). */
  long timeouts() {
    return timeouts.get();
  }

  /** Mounts a pass left out because an earlier call on them is still stuck (or too many are). */
  long skipped() {
    return skipped.get();
  }

  /** statvfs of {@code path} with the deadline, on this reader's call thread; null on timeout. */
  StatFs.Space space(Path path) {
    if (stuck.contains(path) || stuck.size() >= MAX_STUCK) {
      skipped.incrementAndGet();
      return null;
    }
    Future<StatFs.Space> f;
    try {
      stuck.add(path);
      f =
          calls.submit(
              () -> {
                try {
                  return statFs.space(path);
                } finally {
                  stuck.remove(path);
                }
              });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      stuck.remove(path);
      return null;
    }
    try {
      return f.get(deadlineNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      timeouts.incrementAndGet();
      calls.shutdown(); // its thread ends once the kernel lets the call go
      calls = newCalls();
      return null;
    } catch (ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private Result pass(Request r) {
    if (root == null) {
      Path init = r.init();
      StatFs.Space s = space(init);
      if (s != null || timeouts.get() == 0) {
        root = s != null ? init : Path.of("/");
      } else {
        return new Result(List.of(), r.over());
      }
    }
    List<HostReading.FileSystem> out = new ArrayList<>(r.mounts().size());
    for (Mounts.Mount m : r.mounts()) {
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
      StatFs.Space s = space(root.resolve(m.mountPoint().substring(1)));
      if (s != null && s.total() > 0) {
        out.add(new HostReading.FileSystem(m, s));
      }
    }
    return new Result(List.copyOf(out), r.over());
  }

  private ExecutorService newCalls() {
    return Executors.newSingleThreadExecutor(daemon("aiprof-host-statvfs"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    passes.shutdownNow();
    calls.shutdownNow();
  }
}
