package dev.aiprof.custom.bcc;

import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Uprobe;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts hits of USDT probes found by {@link Bcc#usdtProbes}: our precompiled {@code
 * usdt_count.bpf.c} program attached through our libbpf binding as a uprobe at every site of each
 * probe, with the probe's index as the BPF cookie, and its semaphore (if any) as the uprobe's
 * reference counter, so code guarded by the semaphore fires while the counter is attached. At most
 * {@value #MAX_PROBES} probes (the program's slots).
 *
 * <p>Lifecycle: {@link #attach}, {@link #hits}, {@link #close} (detaches; idempotent). Thread-safe
 * reads.
 */
public final class UsdtCounter implements AutoCloseable {
  public static final int MAX_PROBES = 256;

  private final BpfObject object;
  private final BpfMap hits;
  private final List<UsdtProbe> probes;
  private final List<BpfLink> links;

  private UsdtCounter(BpfObject object, List<UsdtProbe> probes, List<BpfLink> links) {
    this.object = object;
    this.hits = object.map("usdt_hits");
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
          Uprobe u = Uprobe.atOffset(p.binary(), site).withPid(pid).withCookie(i);
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
