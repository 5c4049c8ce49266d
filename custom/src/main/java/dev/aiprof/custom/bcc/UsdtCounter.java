package dev.aiprof.custom.bcc;

import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Uprobe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts hits of USDT probes found by {@link Bcc#usdtProbes}: our precompiled {@code
 * usdt_count.bpf.c} program attached through our libbpf binding as a uprobe at every site of each
 * probe, with the probe's index as the BPF cookie, and its semaphore (if any) as the uprobe's
 * reference counter, so code guarded by the semaphore fires while the counter is attached. At most
 * {@value #MAX_PROBES} probes (the program's slots). Hits are counted in total and per (probe,
 * process) for at most {@value #MAX_PAIRS} pairs; hits of pairs beyond are {@link #unowned()}.
 *
 * <p>Lifecycle: {@link #attach}, {@link #hits}, {@link #close} (detaches; idempotent). Thread-safe
 * reads.
 */
public final class UsdtCounter implements AutoCloseable {
  public static final int MAX_PROBES = 256;

  /** (probe, process) pairs counted apart at most ({@code USDT_COUNT_PIDS}). */
  public static final int MAX_PAIRS = 4096;

  private static final int UNOWNED = MAX_PROBES;

  private final BpfObject object;
  private final BpfMap hits;
  private final BpfMap byPid;
  private final List<UsdtProbe> probes;
  private final List<BpfLink> links;

  private UsdtCounter(BpfObject object, List<UsdtProbe> probes, List<BpfLink> links) {
    this.object = object;
    this.hits = object.map("usdt_hits");
    this.byPid = object.map("usdt_by_pid");
    this.probes = List.copyOf(probes);
    this.links = links;
  }

  /**
   * Attaches at every site of {@code probes}, in process {@code pid} only ({@link
   * Uprobe#ALL_PROCESSES} for every process that maps the binaries).
   *
   * @throws IllegalArgumentException for more than {@value #MAX_PROBES} probes
   */
  public static UsdtCounter attach(List<UsdtProbe> probes, int pid) {
    return attach(probes, Collections.nCopies(probes.size(), pid));
  }

  /**
   * Attaches at every site of {@code probes}, probe {@code i} in process {@code pids.get(i)} only
   * ({@link Uprobe#ALL_PROCESSES}: every process that maps its binary).
   *
   * @throws IllegalArgumentException for more than {@value #MAX_PROBES} probes
   */
  public static UsdtCounter attach(List<UsdtProbe> probes, List<Integer> pids) {
    if (pids.size() != probes.size()) {
      throw new IllegalArgumentException(probes.size() + " probes but " + pids.size() + " pids");
    }
    if (probes.size() > MAX_PROBES) {
      throw new IllegalArgumentException(
          probes.size() + " USDT probes: at most " + MAX_PROBES + " are counted; choose fewer");
    }
    BpfObject obj = BpfObject.openResource(BpfObject.class, "usdt_count");
    List<BpfLink> links = new ArrayList<>();
    try {
      obj.load();
      BpfProgram prog = obj.program("usdt_count");
      for (int i = 0; i < probes.size(); i++) {
        UsdtProbe p = probes.get(i);
        for (long site : p.locations()) {
          Uprobe u = Uprobe.atOffset(p.binary(), site).withPid(pids.get(i)).withCookie(i);
          links.add(prog.attachUprobe(u, p.semaphoreOffset()));
        }
      }
      return new UsdtCounter(obj, probes, links);
    } catch (RuntimeException e) {
      links.forEach(BpfLink::close);
      obj.close();
      throw e;
    }
  }

  /** Hits of {@code probe} (one of those attached) since attach. */
  public long hits(UsdtProbe probe) {
    int slot = probes.indexOf(probe);
    if (slot < 0) {
      throw new IllegalArgumentException(probe.id() + " is not counted here");
    }
    return hits.sumPerCpu(slot);
  }

  /**
   * Hits per probe slot (its index in the list attached) and process: keys {@code slot << 32 |
   * pid}.
   */
  public Map<Long, Long> hitsByProcess() {
    Map<Long, Long> out = new HashMap<>();
    byPid.forEach(
        256,
        (k, v) -> {
          long slot = k.get(ValueLayout.JAVA_INT, 0) & 0xffffffffL;
          long pid = k.get(ValueLayout.JAVA_INT, 4) & 0xffffffffL;
          out.put(slot << 32 | pid, v.get(ValueLayout.JAVA_LONG, 0));
        });
    return out;
  }

  /** Hits of (probe, process) pairs that found no room among the {@value #MAX_PAIRS}. */
  public long unowned() {
    return hits.sumPerCpu(UNOWNED);
  }

  /** Stops counting {@code pid} apart (it exited): frees its pairs. */
  public void forget(int slot, int pid) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment k = a.allocate(8, 4);
      k.set(ValueLayout.JAVA_INT, 0, slot);
      k.set(ValueLayout.JAVA_INT, 4, pid);
      byPid.delete(k);
    }
  }

  /** The probes counted, by slot. */
  public List<UsdtProbe> probes() {
    return probes;
  }

  /** The sites attached (links). */
  public int sites() {
    return links.size();
  }

  @Override
  public synchronized void close() {
    links.forEach(BpfLink::close);
    object.close();
  }
}
