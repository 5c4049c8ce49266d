package dev.aiprof.io.file;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.bpf.fileio.FileIoStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cumulative file I/O per process and per workload. The kernel keeps one entry per (workload,
 * process); {@link #refresh} takes the live entries as they are now, {@link #exited} folds the
 * entry of a process that exited (and that the kernel then forgets) into its workload, so workload
 * totals never go back. Recently exited processes stay listed (for a report window) up to {@code
 * maxExited}.
 *
 * <p>Bounds: the first {@code maxWorkloads} workloads seen have series of their own, kept until
 * {@link #forget} (their cgroup was removed and their last values exported); a workload seen past
 * the bound is folded into one overflow series ({@link #OVERFLOW}) for as long as it is held, and
 * its values stay there when it is forgotten, so the overflow series never goes down. At most
 * {@code maxWorkloads} workloads are held in the overflow; beyond them a workload's values are
 * dropped, counted once per read. {@code maxExited} exited processes are remembered (the oldest is
 * forgotten: its bytes stay in its workload).
 *
 * <p>Thread-safety: synchronized (housekeeping refreshes, folds and forgets, metrics and the report
 * read).
 */
final class FileIoTotals {
  /** One workload: cgroup v2 id and v1 memory-cgroup id. */
  record Workload(long cgroupId, long cgroupV1Id) {}

  /** The overflow series' key (no cgroup has these ids): every workload past the bound. */
  static final Workload OVERFLOW = new Workload(-1, -1);

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

  private enum Place {
    SERIES,
    OVERFLOW,
    DROPPED
  }

  private final int maxWorkloads;
  private final int maxExited;
  private Map<Proc, FileIoValues> live = Map.of();
  private final Map<Workload, FileIoValues> folded = new HashMap<>();
  private final Set<Workload> overflowed = new HashSet<>();
  private final FileIoValues overflowFolded = new FileIoValues();
  private final LinkedHashMap<Proc, FileIoValues> recentlyExited = new LinkedHashMap<>();
  private boolean overflowUsed; // once a workload went there, the overflow series is reported
  private long dropped;

  FileIoTotals(int maxWorkloads, int maxExited) {
    this.maxWorkloads = maxWorkloads;
    this.maxExited = maxExited;
  }

  /** Where a workload's values go: its own series, the overflow, or nowhere (both full). */
  private Place place(Workload w) {
    if (folded.containsKey(w)) {
      return Place.SERIES;
    }
    if (overflowed.contains(w)) {
      return Place.OVERFLOW;
    }
    if (folded.size() < maxWorkloads) {
      folded.put(w, new FileIoValues());
      return Place.SERIES;
    }
    if (overflowed.size() < maxWorkloads) {
      overflowed.add(w);
      overflowUsed = true;
      return Place.OVERFLOW;
    }
    return Place.DROPPED;
  }

  /** The kernel's live entries now. */
  synchronized void refresh(List<FileIoStats> now) {
    Map<Proc, FileIoValues> next = new HashMap<>();
    Set<Workload> droppedNow = new HashSet<>();
    for (FileIoStats s : now) {
      Proc p = Proc.of(s);
      next.put(p, FileIoValues.of(s));
      if (place(p.workload()) == Place.DROPPED) {
        droppedNow.add(p.workload());
      }
    }
    dropped += droppedNow.size();
    live = next;
  }

  /** A process's entry the kernel is about to forget: its process exited. */
  synchronized void exited(FileIoStats s) {
    Proc p = Proc.of(s);
    FileIoValues v = FileIoValues.of(s);
    switch (place(p.workload())) {
      case SERIES -> folded.get(p.workload()).add(v);
      case OVERFLOW -> overflowFolded.add(v);
      case DROPPED -> dropped++;
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

  /**
   * Forgets a workload whose cgroup was removed, after its last values were exported; a workload of
   * the overflow leaves its values in it.
   */
  synchronized void forget(Workload w) {
    folded.remove(w);
    overflowed.remove(w);
  }

  /** The workloads held (series of their own and in the overflow). */
  synchronized List<Workload> held() {
    List<Workload> out = new ArrayList<>(folded.keySet());
    out.addAll(overflowed);
    return out;
  }

  /**
   * Every workload's totals, its exited processes' plus its live ones', and those of workloads past
   * the bound under {@link #OVERFLOW} when there are any.
   */
  synchronized Map<Workload, FileIoValues> workloads() {
    Map<Workload, FileIoValues> out = new HashMap<>();
    folded.forEach((w, v) -> out.put(w, v.copy()));
    FileIoValues over = overflowFolded.copy();
    live.forEach(
        (p, v) -> {
          FileIoValues w = out.get(p.workload());
          if (w != null) {
            w.add(v);
          } else if (overflowed.contains(p.workload())) {
            over.add(v);
          }
        });
    if (overflowUsed) {
      out.put(OVERFLOW, over);
    }
    return out;
  }

  /** Every process the totals know: live ones and the recently exited. */
  synchronized Map<Proc, FileIoValues> processes() {
    Map<Proc, FileIoValues> out = new HashMap<>();
    recentlyExited.forEach((p, v) -> out.put(p, v.copy()));
    live.forEach((p, v) -> out.put(p, v.copy()));
    return out;
  }

  /** Workloads past the series and overflow bounds: once per read, and per exited process. */
  synchronized long dropped() {
    return dropped;
  }
}
