package dev.aiprof.bpf.cuda;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.Uprobe;
import dev.aiprof.bpf.phase.LibraryId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The CUDA probe ({@code cuda.bpf.c}) loaded: uprobes on the driver API ({@code libcuda.so.1}) and
 * the runtime API ({@code libcudart.so.*}) that count calls, bytes and time per (time slot, thread,
 * call) in the kernel ({@link CudaSlot}), keep per-workload histograms of synchronisation waits
 * ({@link CudaSyncHistogram}) and send waits of at least {@link CudaConfig#waitEventNs} to a ring
 * buffer ({@link CudaWait}). {@link #attach} adds one library file for every process that maps it;
 * {@link #drainEnded} hands over and deletes the slots that have ended.
 *
 * <p>Thread-safety: attach, detach and reads are safe from any thread (attach and detach are
 * serialized; {@link #drainEnded} must have one caller at a time); {@link #close} must come last
 * and detaches everything.
 */
public final class CudaProbe implements AutoCloseable {
  private final BpfObject obj;
  private final CudaConfig config;
  private final Map<LibraryId, Attached> attached = new HashMap<>();

  /** A library file's links and which API it is. */
  private record Attached(CudaApi api, List<BpfLink> links) {}

  private CudaProbe(BpfObject obj, CudaConfig config) {
    this.obj = obj;
    this.config = config;
  }

  /**
   * Loads the programs; nothing is attached yet. Throws {@link
   * dev.aiprof.bpf.UnsupportedFeatureException} on hosts without uprobes, ring buffers, attach
   * cookies or task storage.
   */
  public static CudaProbe load(Features features, CudaConfig config) {
    features.require(Feature.UPROBE);
    features.require(Feature.RINGBUF);
    features.require(Feature.BPF_COOKIE);
    features.require(Feature.TASK_STORAGE);
    BpfObject obj = BpfObject.openResource(CudaProbe.class, "cuda");
    try {
      obj.map("events").setMaxEntries(config.ringBytes());
      obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
      obj.setConstant("wait_event_ns", config.waitEventNs());
      obj.setConstant("slot_shift", config.slotShift());
      obj.load();
      return new CudaProbe(obj, config);
    } catch (RuntimeException e) {
      obj.close();
      throw e;
    }
  }

  public CudaConfig config() {
    return config;
  }

  /**
   * Attaches to the library {@code file} (identified by {@code id}) for every process: each
   * function of {@code api} that the file exports. Returns the number of functions attached, 0 if
   * that file is attached already. A file that exports none of them, or one attach that fails,
   * throws and leaves nothing attached.
   */
  public synchronized int attach(CudaApi api, LibraryId id, Path file) {
    if (attached.containsKey(id)) {
      return 0;
    }
    Set<String> exports;
    try {
      exports = ElfExports.of(file);
    } catch (IOException e) {
      throw new UncheckedIOException("read the symbols of " + file, e);
    }
    List<BpfLink> links = new ArrayList<>();
    int functions = 0;
    try {
      for (CudaSymbol s : CudaSymbol.of(api)) {
        if (exports.contains(s.name())) {
          attach(s, file, links);
          functions++;
        }
      }
    } catch (RuntimeException e) {
      links.forEach(BpfLink::close);
      throw e;
    }
    if (functions == 0) {
      throw new BpfException(
          "attach to " + file + ": it exports no CUDA " + api.label() + " API function", 2);
    }
    attached.put(id, new Attached(api, List.copyOf(links)));
    return functions;
  }

  private void attach(CudaSymbol s, Path file, List<BpfLink> links) {
    Uprobe entry = Uprobe.entry(file, s.name()).withCookie(s.cookie());
    links.add(obj.program(s.entryProgram()).attachUprobe(entry));
    if (s.call().returnProbe()) {
      links.add(obj.program("cuda_exit").attachUprobe(entry.asReturnProbe()));
    }
  }

  /** Detaches one library file; false if it was not attached. */
  public synchronized boolean detach(LibraryId id) {
    Attached a = attached.remove(id);
    if (a == null) {
      return false;
    }
    a.links().forEach(BpfLink::close);
    return true;
  }

  /** Detaches every file not in {@code live}; returns how many were detached. */
  public synchronized int retainOnly(Set<LibraryId> live) {
    List<LibraryId> gone = attached.keySet().stream().filter(id -> !live.contains(id)).toList();
    gone.forEach(this::detach);
    return gone.size();
  }

  /** The library files attached now, with their API. */
  public synchronized Map<LibraryId, CudaApi> attached() {
    Map<LibraryId, CudaApi> out = new HashMap<>();
    attached.forEach((id, a) -> out.put(id, a.api()));
    return out;
  }

  /** The statistics slot that holds CLOCK_MONOTONIC time {@code ns}. */
  public long slotOf(long ns) {
    return ns >>> config.slotShift();
  }

  /**
   * Hands every statistics entry of a slot before {@code beforeSlot} to {@code sink} and deletes it
   * from the kernel's map; returns how many. Entries of later slots stay (the kernel may still add
   * to them). Pass {@code slotOf(now) - 1} so that a program that took its slot just before a
   * boundary has finished with it.
   */
  public int drainEnded(long beforeSlot, Consumer<CudaSlot> sink) {
    BpfMap stats = obj.map("stats");
    List<CudaSlot> ended = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    stats.forEach(
        256,
        (k, v) -> {
          CudaSlot s = CudaSlot.decode(k, v);
          if (s.slot() < beforeSlot) {
            ended.add(s);
            keys.add(k.toArray(JAVA_BYTE));
          }
        });
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(stats.keySize(), 8);
      for (byte[] k : keys) {
        MemorySegment.copy(k, 0, key, JAVA_BYTE, 0, k.length);
        stats.delete(key);
      }
    }
    ended.forEach(sink);
    return ended.size();
  }

  /** Every workload's cumulative histogram of synchronisation waits, by call. */
  public List<CudaSyncHistogram> histograms() {
    List<CudaSyncHistogram> out = new ArrayList<>();
    obj.map("sync_hist").forEach(256, (k, v) -> out.add(CudaSyncHistogram.decode(k, v)));
    return out;
  }

  /**
   * Forgets the tracked allocations of processes not in {@code livePids} (they exited: the driver
   * freed their memory); returns how many entries were deleted.
   */
  public int forgetAllocations(Set<Integer> livePids) {
    BpfMap allocs = obj.map("allocs");
    long pidOffset = CudaAbi.ALLOC_KEY.offset("pid", dev.aiprof.bpf.CType.U32);
    List<byte[]> gone = new ArrayList<>();
    allocs.forEach(
        1024,
        (k, v) -> {
          if (!livePids.contains(k.get(JAVA_INT, pidOffset))) {
            gone.add(k.toArray(JAVA_BYTE));
          }
        });
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(allocs.keySize(), 8);
      for (byte[] k : gone) {
        MemorySegment.copy(k, 0, key, JAVA_BYTE, 0, k.length);
        allocs.delete(key);
      }
    }
    return gone.size();
  }

  /** Live allocations the probe tracks (entries of its allocation map). */
  public int trackedAllocations() {
    return obj.map("allocs").forEach(1024, (k, v) -> {});
  }

  /**
   * The ring buffer of wait events ({@link CudaWait} records), to {@link
   * dev.aiprof.bpf.RingPoller#add} to a shared poller. Valid until {@link #close}: remove the ring
   * first.
   */
  public BpfMap events() {
    return obj.map("events");
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(CudaCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /** The kernel's accounting of the programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    attached.clear();
    obj.close();
  }
}
