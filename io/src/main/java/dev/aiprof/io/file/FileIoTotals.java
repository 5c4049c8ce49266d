package dev.aiprof.io.file;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.bpf.fileio.FileIoStats;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cumulative file I/O per process and per workload. The kernel keeps one entry per (workload,
 * process); {@link #refresh} takes the live entries as they are now, {@link #exited} folds the
 * entry of a process that exited (and that the kernel then forgets) into its workload, so workload
 * totals never go back. Recently exited processes stay listed (for a report window) up to {@code
 * maxExited}.
 *
 * <p>Bounds: {@code maxWorkloads} workloads with folded totals (a further one is dropped and
 * counted), {@code maxExited} exited processes remembered (the oldest is forgotten: its bytes stay
 * in its workload).
 *
 * <p>Thread-safety: synchronized (housekeeping refreshes and folds, metrics and the report read).
 */
final class FileIoTotals {
  /** One workload: cgroup v2 id and v1 memory-cgroup id. */
  record Workload(long cgroupId, long cgroupV1Id) {}

  /** One process (pid and start: a reused pid is another process) in one workload. */
  record Proc(long cgroupId, long cgroupV1Id, ProcessKey process) {
    Workload workload() {
      return new Workload(cgroupId, cgroupV1Id);
    }

    int pid() {
      return process.pid();
    }

    static Proc of(FileIoStats s) {
      return new Proc(s.cgroupId(), s.cgroupV1Id(), s.process());
    }
  }

  private final int maxWorkloads;
  private final int maxExited;
  private Map<Proc, FileIoValues> live = Map.of();
  private final Map<Workload, FileIoValues> folded = new HashMap<>();
  private final LinkedHashMap<Proc, FileIoValues> recentlyExited = new LinkedHashMap<>();
  private long dropped;

  FileIoTotals(int maxWorkloads, int maxExited) {
    this.maxWorkloads = maxWorkloads;
    this.maxExited = maxExited;
  }

  /** The kernel's live entries now. */
  synchronized void refresh(List<FileIoStats> now) {
    Map<Proc, FileIoValues> next = new HashMap<>();
    for (FileIoStats s : now) {
      next.put(Proc.of(s), FileIoValues.of(s));
    }
    live = next;
  }

  /** A process's entry the kernel is about to forget: its process exited. */
  synchronized void exited(FileIoStats s) {
    Proc p = Proc.of(s);
    FileIoValues v = FileIoValues.of(s);
    FileIoValues w = folded.get(p.workload());
    if (w == null) {
      if (folded.size() >= maxWorkloads) {
        dropped++;
      } else {
        folded.put(p.workload(), v.copy());
      }
    } else {
      w.add(v);
    }
    if (live.containsKey(p)) {
      Map<Proc, FileIoValues> next = new HashMap<>(live);
      next.remove(p);
      live = next;
    }
    recentlyExited.put(p, v);
    Iterator<Proc> it = recentlyExited.keySet().iterator();
    while (recentlyExited.size() > maxExited && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Every workload's totals: its exited processes' plus its live ones'. */
  synchronized Map<Workload, FileIoValues> workloads() {
    Map<Workload, FileIoValues> out = new HashMap<>();
    folded.forEach((w, v) -> out.put(w, v.copy()));
    live.forEach(
        (p, v) -> {
          FileIoValues w = out.get(p.workload());
          if (w != null) {
            w.add(v);
          } else if (out.size() < maxWorkloads) {
            out.put(p.workload(), v.copy());
          }
        });
    return out;
  }

  /** Every process the totals know: live ones and the recently exited. */
  synchronized Map<Proc, FileIoValues> processes() {
    Map<Proc, FileIoValues> out = new HashMap<>();
    recentlyExited.forEach((p, v) -> out.put(p, v.copy()));
    live.forEach((p, v) -> out.put(p, v.copy()));
    return out;
  }

  /** Workloads dropped for the bound. */
  synchronized long dropped() {
    return dropped;
  }
}
