package dev.aiprof.bpf.sched;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.bpf.BpfException;
import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Errno;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.RingBuffer;
import dev.aiprof.bpf.RingBufferPoller;
import dev.aiprof.bpf.UnsupportedFeatureException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler probe ({@code sched.bpf.c}) loaded and attached: runqueue latency, on-CPU and
 * off-CPU time per workload identity, per thread for followed processes, and long episodes as
 * ring-buffer events. {@link #load} picks the program variant this host supports.
 *
 * <p>It owns the followed-process maps ({@link FollowMaps}): other probes reuse them to follow
 * processes from inside the kernel.
 *
 * <p>Thread-safety: reads ({@link #cgroups}, {@link #threads}, {@link #counter}) are safe from any
 * thread; {@link #tryFollow}/{@link #unfollow} are serialized; {@link #close} must come last.
 */
public final class SchedProbe implements AutoCloseable, FollowMaps {
  /** Which program set is loaded. */
  public enum Variant {
    /** tp_btf programs with task-local storage: direct field reads, no per-task hash. */
    TP_BTF,
    /** raw_tp programs with an LRU hash of per-task state: for kernels without the above. */
    RAW_TP
  }

  private static final String[] EVENTS = {
    "sched_switch", "sched_wakeup", "sched_wakeup_new", "sched_process_free"
  };
  private static final String[] PROGRAMS = {
    "sched_switch", "sched_wakeup", "sched_wakeup_new", "sched_free"
  };

  private final BpfObject obj;
  private final Variant variant;
  private final SchedConfig config;
  private final List<BpfLink> links = new ArrayList<>();
  private FollowedProcesses follows;

  private SchedProbe(BpfObject obj, Variant variant, SchedConfig config) {
    this.obj = obj;
    this.variant = variant;
    this.config = config;
  }

  /** The best variant this host supports; throws when it supports none. */
  public static Variant chooseVariant(Features f) {
    f.require(Feature.RINGBUF);
    if (f.has(Feature.TP_BTF) && f.has(Feature.TASK_STORAGE)) {
      return Variant.TP_BTF;
    }
    if (f.has(Feature.RAW_TP)) {
      return Variant.RAW_TP;
    }
    throw new UnsupportedFeatureException(
        Feature.RAW_TP, "neither tp_btf with task storage nor raw_tp works on this kernel");
  }

  /** Loads and attaches the variant {@link #chooseVariant} picks. */
  public static SchedProbe load(Features features, SchedConfig config) {
    return load(chooseVariant(features), config);
  }

  /** Loads and attaches a given variant (tests use this to exercise both). */
  public static SchedProbe load(Variant variant, SchedConfig config) {
    BpfObject obj = BpfObject.openResource(SchedProbe.class, "sched");
    SchedProbe probe = new SchedProbe(obj, variant, config);
    try {
      probe.configure();
      obj.load();
      probe.follows = new FollowedProcesses(obj.map("followed"), obj.map("follow_generation"));
      probe.attach();
      probe.follows.bump();
      return probe;
    } catch (RuntimeException e) {
      probe.close();
      throw e;
    }
  }

  private void configure() {
    String suffix = variant == Variant.TP_BTF ? "_btf" : "_raw";
    for (BpfProgram p : obj.programs()) {
      p.setAutoload(p.name().endsWith(suffix));
    }
    obj.map("task_store").setAutocreate(variant == Variant.TP_BTF);
    obj.map("task_by_tid").setAutocreate(variant == Variant.RAW_TP);
    obj.map("raw_pending").setAutocreate(variant == Variant.RAW_TP);
    obj.map("task_by_tid").setMaxEntries(config.taskEntries());
    obj.map("cgroup_stats").setMaxEntries(config.cgroupEntries());
    obj.map("thread_stats").setMaxEntries(config.threadEntries());
    obj.map("events").setMaxEntries(config.ringBytes());
    obj.setConstant("self_tgid", config.selfPid());
    obj.setConstant("min_event_ns", config.minEventNs());
    obj.setConstant("trace_followed", config.traceFollowed());
    obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
  }

  private void attach() {
    for (int i = 0; i < PROGRAMS.length; i++) {
      if (variant == Variant.TP_BTF) {
        links.add(obj.program(PROGRAMS[i] + "_btf").attachTrace());
      } else {
        links.add(obj.program(PROGRAMS[i] + "_raw").attachRawTracepoint(EVENTS[i]));
      }
    }
  }

  /**
   * Detaches every program: from now on the kernel's scheduler events go unseen, as on hosts that
   * trace nothing while their own agent's threads run. Tests use it, with {@link #resume}, to check
   * how the probe completes episodes whose events it did not see.
   */
  synchronized void suspend() {
    for (BpfLink l : links) {
      l.close();
    }
    links.clear();
  }

  /** Attaches the programs again after {@link #suspend}. */
  synchronized void resume() {
    if (links.isEmpty()) {
      attach();
    }
  }

  public Variant variant() {
    return variant;
  }

  public SchedConfig config() {
    return config;
  }

  /**
   * Starts per-thread statistics (and, with traceFollowed, every episode) for process {@code pid};
   * throws {@link BpfException} (E2BIG) when {@code followed} is full. See {@link #tryFollow}.
   */
  public void follow(int pid) {
    if (!tryFollow(pid)) {
      throw new BpfException(
          "follow pid " + pid + ": followed is full (" + followedCapacity() + " processes)",
          Errno.E2BIG);
    }
  }

  /**
   * Starts following {@code pid} as {@link #follow} does; false, and nothing changes, when {@code
   * followed} is full ({@link #followedCapacity()} processes): the caller then knows it does not
   * see this process's threads, and can say so.
   */
  public boolean tryFollow(int pid) {
    return follows.tryFollow(pid);
  }

  public void unfollow(int pid) {
    follows.unfollow(pid);
  }

  /** Processes followed now, added from here or by a program (the phase probe's first call). */
  public int followedCount() {
    return follows.count();
  }

  /** How many processes {@code followed} can hold. */
  public int followedCapacity() {
    return follows.capacity();
  }

  /** The current follow generation (tests and diagnostics). */
  int followGeneration() {
    return follows.generation();
  }

  /**
   * The {@code followed} map (tgid → 1) and its {@code follow_generation} counter, for probes that
   * follow processes from inside the kernel (they reuse both maps before load, add the tgid with
   * BPF_NOEXIST and bump the generation with an atomic add when the add succeeded).
   */
  @Override
  public BpfMap followedMap() {
    return obj.map("followed");
  }

  @Override
  public BpfMap followGenerationMap() {
    return obj.map("follow_generation");
  }

  /** Cumulative statistics of every workload identity seen since load. */
  public List<CgroupSchedStats> cgroups() {
    List<CgroupSchedStats> out = new ArrayList<>();
    obj.map("cgroup_stats").forEach(256, (k, v) -> out.add(CgroupSchedStats.decode(k, v)));
    return out;
  }

  /** Cumulative statistics of the live threads of followed processes, by tid. */
  public Map<Integer, ThreadSchedStats> threads() {
    Map<Integer, ThreadSchedStats> out = new HashMap<>();
    obj.map("thread_stats")
        .forEach(
            1024,
            (k, v) -> {
              ThreadSchedStats t = ThreadSchedStats.decode(k, v);
              out.put(t.tid(), t);
            });
    return out;
  }

  /**
   * Forgets one workload identity's statistics (cgroup v2 id, v1 memory-cgroup id, as {@link
   * CgroupSchedStats} carries them): for cgroups the caller knows are gone, so the LRU map keeps
   * room for live ones. False when there was no entry. A cgroup still running tasks gets a new
   * entry at its next switch, counting from zero.
   */
  public boolean removeCgroup(long v2Id, long v1Id) {
    BpfMap m = obj.map("cgroup_stats");
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(SchedAbi.CGROUP_KEY);
      key.set(JAVA_LONG, SchedAbi.offset(SchedAbi.CGROUP_KEY, "cgroup_id"), v2Id);
      key.set(JAVA_LONG, SchedAbi.offset(SchedAbi.CGROUP_KEY, "cgroup_v1_id"), v1Id);
      return m.delete(key);
    }
  }

  /** Statistics of one thread of a followed process, if the probe has any. */
  public java.util.Optional<ThreadSchedStats> thread(int tid) {
    BpfMap m = obj.map("thread_stats");
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocateFrom(JAVA_INT, tid);
      MemorySegment value = a.allocate(m.valueBufferSize(), 8);
      return m.lookup(key, value)
          ? java.util.Optional.of(ThreadSchedStats.decode(key, value))
          : java.util.Optional.empty();
    }
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(SchedCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /**
   * The ring buffer of episode events ({@link SchedEventView} records), to {@link
   * dev.aiprof.bpf.RingPoller#add} to a shared poller. Valid until {@link #close}: remove the ring
   * first.
   */
  public BpfMap events() {
    return obj.map("events");
  }

  /**
   * Starts draining events on a thread of its own, every {@code minInterval} to {@code maxInterval}
   * (adaptive); the handler reads each via {@link SchedEventView}. New code adds {@link #events()}
   * to a shared {@link dev.aiprof.bpf.RingPoller} instead.
   */
  public RingBufferPoller pollEvents(
      RingBuffer.Handler handler, Duration minInterval, Duration maxInterval) {
    return RingBufferPoller.start(
        obj.map("events"), handler, minInterval, maxInterval, "aiprof-sched-events");
  }

  /** The kernel's accounting of this probe's programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().filter(BpfProgram::autoload).map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    try {
      if (follows != null) {
        follows.close();
      }
    } finally {
      obj.close();
    }
  }
}
