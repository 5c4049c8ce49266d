package dev.aiprof.bpf.fileio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.PerfEvent;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.UnsupportedFeatureException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The file-I/O probe ({@code fileio.bpf.c}) loaded and attached: reads and writes of regular files
 * and block devices per process and workload ({@link FileIoStats}), pages added to the page cache
 * by cause, major faults, per-(thread, time slot) entries of followed processes ({@link
 * FileIoSlot}) and slow reads as ring-buffer events ({@link SlowRead}).
 *
 * <p>Which programs load is chosen by probing: the syscall tracepoints tracefs lists ({@link
 * Tracefs}; read and write are required, the rest are attached where present), the page-cache
 * tracepoint where present, and the major-fault perf event where perf-event programs work. {@link
 * #traced()}, {@link #pageCache()} and {@link #majorFaults()} say what was attached.
 *
 * <p>Given {@link FollowMaps} (the scheduler probe's), it shares its {@code followed} map: threads
 * of the processes followed there get slot entries. Without them nothing is followed.
 *
 * <p>Thread-safety: reads are safe from any thread; {@link #drainEnded} and {@link #forget} must
 * have one caller at a time; {@link #close} must come last and detaches everything.
 */
public final class FileIoProbe implements AutoCloseable {
  private static final String PAGE_ADD = "mm_filemap_add_to_page_cache";

  private final BpfObject obj;
  private final FileIoConfig config;
  private final Set<FileIoOp> traced;
  private final boolean pageCache;
  private final List<BpfLink> links = new ArrayList<>();
  private boolean majorFaults;
  private String majorFaultsMissing = "";

  private FileIoProbe(BpfObject obj, FileIoConfig config, Set<FileIoOp> traced, boolean pageCache) {
    this.obj = obj;
    this.config = config;
    this.traced = traced;
    this.pageCache = pageCache;
  }

  /** Loads and attaches with the host's tracefs; {@code followInto} may be null. */
  public static FileIoProbe load(Features features, FileIoConfig config, FollowMaps followInto) {
    return load(features, Tracefs.host(), config, followInto);
  }

  /**
   * Loads and attaches what {@code tracefs} says the host has. Throws {@link
   * UnsupportedFeatureException} without ring buffers, task storage, tracepoints or the read and
   * write syscall tracepoints.
   */
  public static FileIoProbe load(
      Features features, Tracefs tracefs, FileIoConfig config, FollowMaps followInto) {
    features.require(Feature.RINGBUF);
    features.require(Feature.TASK_STORAGE);
    features.require(Feature.TRACEPOINT);
    Set<FileIoOp> ops = EnumSet.noneOf(FileIoOp.class);
    for (FileIoOp op : FileIoOp.values()) {
      if (tracefs.has("syscalls", "sys_enter_" + op.syscall())
          && tracefs.has("syscalls", "sys_exit_" + op.syscall())) {
        ops.add(op);
      }
    }
    if (!ops.contains(FileIoOp.READ) || !ops.contains(FileIoOp.WRITE)) {
      throw new UnsupportedFeatureException(
          Feature.TRACEPOINT,
          tracefs.mounted()
              ? "no syscalls:sys_enter_read/sys_exit_read tracepoints (CONFIG_FTRACE_SYSCALLS)"
              : tracefs.whyNone());
    }
    boolean pages = tracefs.has("filemap", PAGE_ADD);
    boolean faults = features.has(Feature.PERF_EVENT);
    BpfObject obj = BpfObject.openResource(FileIoProbe.class, "fileio");
    FileIoProbe probe = new FileIoProbe(obj, config, Set.copyOf(ops), pages);
    try {
      for (FileIoOp op : FileIoOp.values()) {
        obj.program("fileio_enter_" + op.syscall()).setAutoload(ops.contains(op));
        obj.program("fileio_exit_" + op.syscall()).setAutoload(ops.contains(op));
      }
      obj.program("fileio_page_add").setAutoload(pages);
      obj.program("fileio_major_fault").setAutoload(faults);
      if (followInto != null) {
        obj.map("followed").reuse(followInto.followedMap());
        obj.map("follow_generation").reuse(followInto.followGenerationMap());
      } else {
        obj.map("followed").setMaxEntries(1);
      }
      obj.map("events").setMaxEntries(config.ringBytes());
      obj.map("stats").setMaxEntries(config.processEntries());
      obj.map("slots").setMaxEntries(config.slotEntries());
      obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
      obj.setConstant("self_tgid", config.selfPid());
      obj.setConstant("slow_read_ns", config.slowReadNs());
      obj.setConstant("slot_shift", config.slotShift());
      obj.setConstant("page_shift", config.pageShift());
      obj.load();
      probe.attach(faults);
      return probe;
    } catch (RuntimeException e) {
      probe.close();
      throw e;
    }
  }

  private void attach(boolean faults) {
    // Exits first: a call entered before its exit is attached would leave an entry behind.
    for (FileIoOp op : traced) {
      String s = op.syscall();
      links.add(obj.program("fileio_exit_" + s).attachTracepoint("syscalls", "sys_exit_" + s));
    }
    for (FileIoOp op : traced) {
      String s = op.syscall();
      links.add(obj.program("fileio_enter_" + s).attachTracepoint("syscalls", "sys_enter_" + s));
    }
    if (pageCache) {
      links.add(obj.program("fileio_page_add").attachTracepoint("filemap", PAGE_ADD));
    }
    if (!faults) {
      majorFaultsMissing = "perf-event programs do not work on this host";
      return;
    }
    List<PerfEvent> events;
    try {
      events = PerfEvent.majorFaultsOnEveryCpu();
    } catch (RuntimeException e) {
      majorFaultsMissing = e.getMessage();
      return;
    }
    BpfProgram p = obj.program("fileio_major_fault");
    List<BpfLink> made = new ArrayList<>();
    try {
      for (PerfEvent e : events) {
        made.add(p.attachPerfEvent(e));
      }
    } catch (RuntimeException e) {
      made.forEach(BpfLink::close);
      events.forEach(PerfEvent::close);
      majorFaultsMissing = e.getMessage();
      return;
    }
    links.addAll(made);
    majorFaults = true;
  }

  public FileIoConfig config() {
    return config;
  }

  /** The syscalls whose tracepoints are attached. */
  public Set<FileIoOp> traced() {
    return traced;
  }

  /** Whether page-cache additions are traced. */
  public boolean pageCache() {
    return pageCache;
  }

  /** Whether major faults are counted (the perf event is attached on every CPU). */
  public boolean majorFaults() {
    return majorFaults;
  }

  /** Why major faults are not counted ("" when they are). */
  public String majorFaultsMissing() {
    return majorFaultsMissing;
  }

  /** Every process's cumulative entry. */
  public List<FileIoStats> stats() {
    List<FileIoStats> out = new ArrayList<>();
    obj.map("stats").forEach(256, (k, v) -> out.add(FileIoStats.decode(k, v)));
    return out;
  }

  /**
   * Deletes the entries of processes {@code alive} says have exited and hands each to {@code gone}
   * first; returns how many. Entries are keyed by {@link FileIoStats#process() process} (pid and
   * start), so a process that took over an exited one's pid has entries of its own, and the exited
   * one's are forgotten even though its pid lives on. An exited process's entry is never written
   * again, so nothing is lost between the read and the delete.
   */
  public int forget(Predicate<ProcessKey> alive, Consumer<FileIoStats> gone) {
    return deleteWhere(obj.map("stats"), FileIoStats::decode, s -> !alive.test(s.process()), gone);
  }

  /** The slot that holds CLOCK_MONOTONIC time {@code ns}. */
  public long slotOf(long ns) {
    return ns >>> config.slotShift();
  }

  /**
   * Hands every slot entry before {@code beforeSlot} to {@code sink} and deletes it; returns how
   * many. Pass {@code slotOf(now) - 1} so that a program that took its slot just before a boundary
   * has finished with it.
   */
  public int drainEnded(long beforeSlot, Consumer<FileIoSlot> sink) {
    return deleteWhere(obj.map("slots"), FileIoSlot::decode, s -> s.slot() < beforeSlot, sink);
  }

  private interface Decoder<T> {
    T decode(MemorySegment key, MemorySegment value);
  }

  private static <T> int deleteWhere(
      BpfMap map, Decoder<T> decoder, Predicate<T> which, Consumer<T> sink) {
    List<T> hit = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    map.forEach(
        256,
        (k, v) -> {
          T t = decoder.decode(k, v);
          if (which.test(t)) {
            hit.add(t);
            keys.add(k.toArray(JAVA_BYTE));
          }
        });
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(map.keySize(), 8);
      for (byte[] k : keys) {
        MemorySegment.copy(k, 0, key, JAVA_BYTE, 0, k.length);
        map.delete(key);
      }
    }
    hit.forEach(sink);
    return hit.size();
  }

  /**
   * The ring buffer of slow reads ({@link SlowRead} records), to {@link
   * dev.aiprof.bpf.RingPoller#add} to a shared poller. Valid until {@link #close}: remove the ring
   * first.
   */
  public BpfMap events() {
    return obj.map("events");
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(FileIoCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /** The kernel's accounting of the loaded programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().filter(BpfProgram::autoload).map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    for (int i = links.size() - 1; i >= 0; i--) {
      links.get(i).close();
    }
    links.clear();
    obj.close();
  }
}
