package dev.aiprof.profiler.symbols;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.ProcStat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Turns instruction pointers into {@link Frame}s. Kernel addresses through {@link Kallsyms}; user
 * addresses of a process through, in turn: its JIT perf map ({@link PerfMaps}), BCC's symboliser
 * ({@link Bcc}: ELF symbols, debuginfo where present), and otherwise the module and offset BCC
 * found, or the bare address. Nothing is dropped.
 *
 * <p>Caches: per process (at most {@code maxProcesses}, least recently used evicted, its BCC cache
 * freed) the resolved frames (at most {@code maxFrames}, LRU), the BCC handle and the perf map.
 * Identity is (pid, start time): a reused pid gets fresh caches. A JIT address no map knows makes
 * the perf map be read again (at most every {@value #PERF_MAP_RETRY_NS} ns) and, for a JVM, asks
 * {@code perfMapRequest} for a new one (jcmd, rate-limited by the caller).
 *
 * <p>Thread-safety: synchronized; {@link #close} frees every BCC cache.
 */
public final class Symbolizer implements AutoCloseable {
  static final long PERF_MAP_RETRY_NS = 250_000_000L;
  static final long IDENTITY_CHECK_NS = 1_000_000_000L;

  private final HostPaths paths;
  private final Bcc bcc;
  private final Kallsyms kernel;
  private final IntConsumer perfMapRequest;
  private final LongSupplier clock;
  private final int maxFrames;
  private final LinkedHashMap<Integer, Process> processes;
  private long lookups;
  private long hits;

  private final class Process {
    final int pid;
    final long startTime;
    final long cache;
    final LinkedHashMap<Long, Frame> frames = new LinkedHashMap<>(64, 0.75f, true);
    PerfMap perfMap;
    long perfMapReadNs = Long.MIN_VALUE;
    long[] perfMapVersion;
    boolean requested;
    long requestedNs;
    long checkedNs;

    Process(int pid, long startTime) {
      this.pid = pid;
      this.startTime = startTime;
      this.cache = bcc == null ? 0 : bcc.newCache(pid);
    }

    Frame resolve(long ip) {
      Frame f = frames.get(ip);
      if (f != null && f.module() == null && !f.resolved()) {
        // anonymous code nothing named yet: a newer perf map may (checked every retry interval)
        if (clock.getAsLong() - perfMapReadNs >= PERF_MAP_RETRY_NS) {
          readPerfMap();
          f = frames.get(ip);
        }
      }
      if (f != null) {
        hits++;
        return f;
      }
      f = resolveUncached(ip);
      frames.put(ip, f); // unresolved too: a new perf map empties the cache
      if (frames.size() > maxFrames) {
        Iterator<Long> it = frames.keySet().iterator();
        it.next();
        it.remove();
      }
      return f;
    }

    private Frame resolveUncached(long ip) {
      if (perfMapReadNs == Long.MIN_VALUE) {
        readPerfMap();
      }
      Frame jit = perfMap == null ? null : perfMap.resolve(ip);
      if (jit != null) {
        return jit;
      }
      Bcc.Symbol s = cache == 0 ? null : bcc.resolve(cache, ip);
      if (s != null && s.name() != null) {
        return new Frame(s.name(), s.module(), s.offset(), ip);
      }
      if (s != null && s.module() != null && !s.module().startsWith("[")) {
        return new Frame(null, s.module(), s.offset(), ip);
      }
      // Anonymous memory: JIT code the perf map does not list yet. Ask for a new one (the asker
      // rate-limits), and read it again at most every PERF_MAP_RETRY_NS.
      long now = clock.getAsLong();
      if (!requested || now - requestedNs >= PERF_MAP_RETRY_NS) {
        requested = true;
        requestedNs = now;
        perfMapRequest.accept(pid);
      }
      if (now - perfMapReadNs >= PERF_MAP_RETRY_NS) {
        readPerfMap();
        jit = perfMap == null ? null : perfMap.resolve(ip);
        if (jit != null) {
          return jit;
        }
      }
      return s != null ? new Frame(null, s.module(), s.offset(), ip) : Frame.unknown(ip);
    }

    /** Reads the perf map when the file changed (size or modification time) since last time. */
    void readPerfMap() {
      perfMapReadNs = clock.getAsLong();
      long[] v = PerfMaps.version(paths, pid);
      if (v == null || (perfMapVersion != null && java.util.Arrays.equals(v, perfMapVersion))) {
        return;
      }
      PerfMap m = PerfMaps.read(paths, pid);
      if (m != null) {
        perfMap = m;
        perfMapVersion = v;
        frames.clear(); // frames it did not name before may be in it now
      }
    }

    void free() {
      if (bcc != null) {
        bcc.freeCache(cache, pid);
      }
    }
  }

  /**
   * @param bcc BCC's symboliser, or null where libbcc is missing
   * @param perfMapRequest asked for a fresh perf map of a process with unknown JIT code
   */
  public Symbolizer(
      HostPaths paths,
      Bcc bcc,
      Kallsyms kernel,
      IntConsumer perfMapRequest,
      LongSupplier clock,
      int maxProcesses,
      int maxFrames) {
    this.paths = paths;
    this.bcc = bcc;
    this.kernel = kernel;
    this.perfMapRequest = perfMapRequest;
    this.clock = clock;
    this.maxFrames = maxFrames;
    this.processes =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Process> e) {
            if (size() > maxProcesses) {
              e.getValue().free();
              return true;
            }
            return false;
          }
        };
  }

  /** A kernel frame. */
  public synchronized Frame kernel(long ip) {
    lookups++;
    return kernel.resolve(ip);
  }

  /** A user frame of process {@code pid}. */
  public synchronized Frame user(int pid, long ip) {
    lookups++;
    return process(pid).resolve(ip);
  }

  private Process process(int pid) {
    Process p = processes.get(pid);
    long now = clock.getAsLong();
    if (p != null && now - p.checkedNs < IDENTITY_CHECK_NS) {
      return p;
    }
    long start = startTime(pid);
    if (p != null && (start == 0 || p.startTime == start)) {
      p.checkedNs = now;
      return p;
    }
    if (p != null) {
      processes.remove(pid);
      p.free();
    }
    p = new Process(pid, start);
    p.checkedNs = now;
    processes.put(pid, p);
    return p;
  }

  private long startTime(int pid) {
    try {
      return ProcStat.read(paths, pid).map(ProcStat::startTicks).orElse(0L);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The user frames of one stack of {@code pid}, innermost first. */
  public synchronized Frame[] user(int pid, long[] ips) {
    Frame[] out = new Frame[ips.length];
    for (int i = 0; i < ips.length; i++) {
      lookups++;
      out[i] = process(pid).resolve(ips[i]);
    }
    return out;
  }

  /** Drops the caches of {@code pid} (it exited). */
  public synchronized void forget(int pid) {
    Process p = processes.remove(pid);
    if (p != null) {
      p.free();
    }
  }

  /** Frames asked for, and of those answered from a cache. */
  public synchronized long lookups() {
    return lookups;
  }

  public synchronized long cacheHits() {
    return hits;
  }

  @Override
  public synchronized void close() {
    processes.values().forEach(Process::free);
    processes.clear();
  }
}
