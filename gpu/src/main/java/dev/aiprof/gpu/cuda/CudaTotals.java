package dev.aiprof.gpu.cuda;

import dev.aiprof.bpf.cuda.CudaCall;
import dev.aiprof.bpf.cuda.CudaCallKind;
import dev.aiprof.bpf.cuda.CudaDir;
import dev.aiprof.bpf.cuda.CudaSlot;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Cumulative CUDA totals per workload, summed from drained slots: calls, errors, bytes and time by
 * (cgroup identity, call, direction), and live allocated bytes per process. At most {@code
 * maxSeries} series; slots of further series are dropped and counted.
 *
 * <p>Thread-safety: synchronized (the drain adds, the metric collection reads).
 */
final class CudaTotals {
  /** One series: a workload's calls of one function in one direction. */
  record Series(long cgroupId, long cgroupV1Id, CudaCall call, CudaDir dir) {}

  /** Cumulative values of a series. */
  static final class Values {
    long calls;
    long errors;
    long bytes;
    long ns;
  }

  /** Live bytes of one process, in its workload. */
  record Live(long cgroupId, long cgroupV1Id, long bytes) {}

  private final int maxSeries;
  private final Map<Series, Values> series = new HashMap<>();
  private final Map<Integer, Live> live = new HashMap<>();
  private long dropped;

  CudaTotals(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  synchronized void add(CudaSlot s) {
    if (s.call() == null) {
      return;
    }
    Series k = new Series(s.cgroupId(), s.cgroupV1Id(), s.call(), s.dir());
    Values v = series.get(k);
    if (v == null) {
      if (series.size() >= maxSeries) {
        dropped++;
        return;
      }
      v = new Values();
      series.put(k, v);
    }
    v.calls += s.calls();
    v.errors += s.errors();
    v.bytes += s.bytes();
    v.ns += s.ns();
    CudaCallKind kind = s.call().kind();
    if ((kind == CudaCallKind.ALLOC || kind == CudaCallKind.FREE) && s.bytes() != 0) {
      long delta = kind == CudaCallKind.ALLOC ? s.bytes() : -s.bytes();
      live.merge(
          s.pid(),
          new Live(s.cgroupId(), s.cgroupV1Id(), delta),
          (a, b) -> new Live(a.cgroupId(), a.cgroupV1Id(), a.bytes() + b.bytes()));
    }
  }

  /** A copy of every series now: calls, errors, bytes, ns. */
  synchronized Map<Series, long[]> snapshot() {
    Map<Series, long[]> out = new HashMap<>();
    series.forEach((k, v) -> out.put(k, new long[] {v.calls, v.errors, v.bytes, v.ns}));
    return out;
  }

  synchronized void forEach(BiConsumer<Series, Values> visit) {
    series.forEach(visit);
  }

  /** Live bytes summed per workload identity ({v2, v1} → bytes). */
  synchronized Map<java.util.List<Long>, Long> liveByWorkload() {
    Map<java.util.List<Long>, Long> out = new HashMap<>();
    for (Live l : live.values()) {
      out.merge(java.util.List.of(l.cgroupId(), l.cgroupV1Id()), l.bytes(), Long::sum);
    }
    return out;
  }

  /** Live bytes of one process (0 when it allocated nothing the probe saw). */
  synchronized long liveBytes(int pid) {
    Live l = live.get(pid);
    return l == null ? 0 : l.bytes();
  }

  /** Forgets the live bytes of processes that exited (the driver freed their memory). */
  synchronized void retainProcesses(Set<Integer> pids) {
    live.keySet().retainAll(pids);
  }

  synchronized long dropped() {
    return dropped;
  }
}
