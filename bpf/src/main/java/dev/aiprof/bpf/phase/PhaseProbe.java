package dev.aiprof.bpf.phase;

import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RingBuffer;
import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.Uprobe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The phase probe ({@code phase.bpf.c}) loaded: uprobes on libaiprof.so's marker functions that
 * send every begin and end as a ring-buffer event ({@link PhaseEventView}). {@link #attach} adds
 * one library file (four uprobes: begin and end, marker and NVTX, told apart by cookie) for every
 * process that maps it; {@link #retainOnly} detaches files no process maps any more.
 *
 * <p>Given {@link FollowMaps} (the scheduler probe's), the programs share its {@code followed} and
 * {@code follow_generation} maps and add each calling process to them from inside the kernel, so
 * the scheduler probe records the process's threads from its first marker call on. Without one they
 * get private copies and follow nothing.
 *
 * <p>Thread-safety: attach, detach and reads are safe from any thread (attach and detach are
 * serialized); {@link #close} must come last and detaches everything.
 */
public final class PhaseProbe implements AutoCloseable {
  private final BpfObject obj;
  private final boolean follows;
  private final Map<LibraryId, List<BpfLink>> attached = new HashMap<>();

  private PhaseProbe(BpfObject obj, boolean follows) {
    this.obj = obj;
    this.follows = follows;
  }

  /** Loads with private follow maps (no in-kernel following). */
  public static PhaseProbe load(Features features, PhaseConfig config) {
    return load(features, config, null);
  }

  /**
   * Loads, sharing {@code followInto}'s follow maps (a {@link dev.aiprof.bpf.sched.SchedProbe})
   * when it is not null. Nothing is attached yet. Throws {@link
   * dev.aiprof.bpf.UnsupportedFeatureException} on hosts without uprobes, ring buffers or attach
   * cookies.
   */
  public static PhaseProbe load(Features features, PhaseConfig config, FollowMaps followInto) {
    features.require(Feature.UPROBE);
    features.require(Feature.RINGBUF);
    features.require(Feature.BPF_COOKIE);
    BpfObject obj = BpfObject.openResource(PhaseProbe.class, "phase");
    try {
      obj.map("events").setMaxEntries(config.ringBytes());
      obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
      if (followInto != null) {
        obj.map("followed").reuse(followInto.followedMap());
        obj.map("follow_generation").reuse(followInto.followGenerationMap());
        obj.setConstant("follow", true);
      } else {
        obj.map("followed").setMaxEntries(1);
      }
      obj.load();
      return new PhaseProbe(obj, followInto != null);
    } catch (RuntimeException e) {
      obj.close();
      throw e;
    }
  }

  /** Whether calling processes are added to the scheduler probe's {@code followed} map. */
  public boolean followsInKernel() {
    return follows;
  }

  /**
   * Attaches to the library {@code file} (identified by {@code id}) for every process; false if
   * that file is attached already. All four uprobes or none: a file without the marker symbols
   * throws {@link dev.aiprof.bpf.BpfException} and leaves nothing attached.
   */
  public synchronized boolean attach(LibraryId id, Path file) {
    if (attached.containsKey(id)) {
      return false;
    }
    List<BpfLink> links = new ArrayList<>();
    try {
      for (MarkerOrigin o : MarkerOrigin.values()) {
        links.add(uprobe("phase_begin", file, o.beginSymbol(), o));
        links.add(uprobe("phase_end", file, o.endSymbol(), o));
      }
    } catch (RuntimeException e) {
      links.forEach(BpfLink::close);
      throw e;
    }
    attached.put(id, List.copyOf(links));
    return true;
  }

  /** Attaches to the library at {@code file}, identified by its own {@code stat}. */
  public boolean attach(Path file) {
    return attach(LibraryId.of(file), file);
  }

  private BpfLink uprobe(String program, Path file, String symbol, MarkerOrigin origin) {
    return obj.program(program).attachUprobe(Uprobe.entry(file, symbol).withCookie(origin.code()));
  }

  /** Detaches one library file; false if it was not attached. */
  public synchronized boolean detach(LibraryId id) {
    List<BpfLink> links = attached.remove(id);
    if (links == null) {
      return false;
    }
    links.forEach(BpfLink::close);
    return true;
  }

  /** Detaches every file not in {@code live}; returns how many were detached. */
  public synchronized int retainOnly(Set<LibraryId> live) {
    List<LibraryId> gone = attached.keySet().stream().filter(id -> !live.contains(id)).toList();
    gone.forEach(this::detach);
    return gone.size();
  }

  /** The library files attached now. */
  public synchronized Set<LibraryId> attached() {
    return Set.copyOf(attached.keySet());
  }

  /**
   * The ring buffer of marker events ({@link PhaseEventView} records), to {@link
   * dev.aiprof.bpf.RingPoller#add} to a shared poller. Valid until {@link #close}: remove the ring
   * first.
   */
  public BpfMap events() {
    return obj.map("events");
  }

  /**
   * Starts draining events on a thread of its own, every {@code interval} to ten times that while
   * little arrives; the handler reads each via PhaseEventView. New code adds {@link #events()} to a
   * shared {@link dev.aiprof.bpf.RingPoller} instead.
   */
  public RingBufferPoller pollEvents(RingBuffer.Handler handler, Duration interval) {
    return RingBufferPoller.start(
        obj.map("events"), handler, interval, interval.multipliedBy(10), "aiprof-phase-events");
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(PhaseCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /** The kernel's accounting of the two programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    attached.clear();
    obj.close();
  }
}
