package dev.aiprof.bpf.profile;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.aiprof.bpf.BpfLink;
import dev.aiprof.bpf.BpfMap;
import dev.aiprof.bpf.BpfObject;
import dev.aiprof.bpf.BpfProgram;
import dev.aiprof.bpf.Feature;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.PerfEvent;
import dev.aiprof.bpf.ProgramStats;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU-profile probe ({@code profile.bpf.c}) loaded and attached: a CPU-clock perf event on
 * every online CPU at {@link ProfileConfig#frequencyHz} runs {@code profile_sample}, and, where the
 * host has tracepoints, {@code offcpu_switch} takes the stacks of followed threads at voluntary
 * switch-outs and sends long episodes. Events ({@link ProfileEvent}) go to the {@link #events()}
 * ring, stacks to one of two stack maps: the one of the generation {@link #selectGeneration} set
 * last (even: {@code stacks_0}, odd: {@code stacks_1}), whose number each event carries. The reader
 * empties the other one ({@link #clearStacks}) only once every event that named it has been drained
 * (the kernel reads the generation after reserving the event): see {@code
 * dev.aiprof.profiler.StackGenerations}.
 *
 * <p>Given {@link FollowMaps} (the scheduler probe's), {@code followed} is shared: off-CPU stacks
 * are taken for the processes the agent follows, and samples carry the followed flag. Without one
 * the maps are private and empty: samples are taken, off-CPU stacks are not.
 *
 * <p>Thread-safety: reads are safe from any thread; {@link #clearStacks}, {@link #selectGeneration}
 * and {@link #close} are serialized; close comes last.
 */
public final class ProfileProbe implements AutoCloseable {
  /** Which off-CPU program is loaded. */
  public enum OffCpuVariant {
    /** tp_btf with task-local storage. */
    TP_BTF,
    /** raw_tp with an LRU hash of per-thread state. */
    RAW_TP,
    /** Off-CPU stacks off (by configuration, or no tracepoint variant works here). */
    NONE
  }

  private static final List<String> STACK_MAPS = List.of("stacks_0", "stacks_1");

  private final BpfObject obj;
  private final ProfileConfig config;
  private final OffCpuVariant variant;
  private final List<BpfLink> links = new ArrayList<>();

  private ProfileProbe(BpfObject obj, ProfileConfig config, OffCpuVariant variant) {
    this.obj = obj;
    this.config = config;
    this.variant = variant;
  }

  /** The off-CPU variant this host supports for {@code config}. */
  public static OffCpuVariant chooseVariant(Features f, ProfileConfig config) {
    if (!config.offCpu()) {
      return OffCpuVariant.NONE;
    }
    if (f.has(Feature.TP_BTF) && f.has(Feature.TASK_STORAGE)) {
      return OffCpuVariant.TP_BTF;
    }
    return f.has(Feature.RAW_TP) ? OffCpuVariant.RAW_TP : OffCpuVariant.NONE;
  }

  /**
   * Loads and attaches. Throws {@link dev.aiprof.bpf.UnsupportedFeatureException} on hosts without
   * perf-event programs, stack maps or ring buffers, {@link dev.aiprof.bpf.BpfException} when a
   * perf event cannot be opened (EACCES: CAP_PERFMON missing).
   */
  public static ProfileProbe load(Features features, ProfileConfig config, FollowMaps followed) {
    features.require(Feature.PERF_EVENT);
    features.require(Feature.STACK_TRACE);
    features.require(Feature.RINGBUF);
    return load(chooseVariant(features, config), config, followed);
  }

  /** Loads and attaches a given off-CPU variant (tests exercise both). */
  public static ProfileProbe load(
      OffCpuVariant variant, ProfileConfig config, FollowMaps followed) {
    BpfObject obj = BpfObject.openResource(ProfileProbe.class, "profile");
    ProfileProbe probe = new ProfileProbe(obj, config, variant);
    try {
      probe.configure(followed);
      obj.load();
      probe.attach();
      return probe;
    } catch (RuntimeException e) {
      probe.close();
      throw e;
    }
  }

  private void configure(FollowMaps followed) {
    obj.program("offcpu_switch_btf").setAutoload(variant == OffCpuVariant.TP_BTF);
    obj.program("offcpu_switch_raw").setAutoload(variant == OffCpuVariant.RAW_TP);
    obj.map("off_store").setAutocreate(variant == OffCpuVariant.TP_BTF);
    obj.map("off_by_tid").setAutocreate(variant == OffCpuVariant.RAW_TP);
    for (String m : STACK_MAPS) {
      obj.map(m).setMaxEntries(config.maxStacks());
    }
    obj.map("events").setMaxEntries(config.ringBytes());
    obj.setConstant("self_tgid", config.selfPid());
    obj.setConstant("min_offcpu_ns", config.minOffCpuNs());
    obj.setConstant("wakeup_bytes", config.ringBytes() / 4);
    if (followed != null) {
      obj.map("followed").reuse(followed.followedMap());
      obj.map("follow_generation").reuse(followed.followGenerationMap());
    } else {
      obj.map("followed").setMaxEntries(1);
    }
  }

  private void attach() {
    BpfProgram sample = obj.program("profile_sample");
    for (PerfEvent e : PerfEvent.cpuClockOnEveryCpu(config.frequencyHz())) {
      try {
        links.add(sample.attachPerfEvent(e));
      } catch (RuntimeException ex) {
        e.close();
        throw ex;
      }
    }
    switch (variant) {
      case TP_BTF -> links.add(obj.program("offcpu_switch_btf").attachTrace());
      case RAW_TP ->
          links.add(obj.program("offcpu_switch_raw").attachRawTracepoint("sched_switch"));
      case NONE -> {}
    }
  }

  public ProfileConfig config() {
    return config;
  }

  public OffCpuVariant offCpuVariant() {
    return variant;
  }

  /** The ring of {@link ProfileEvent}s, for {@link dev.aiprof.bpf.RingPoller#add}. */
  public BpfMap events() {
    return obj.map("events");
  }

  /** The stack map of generation {@code generation}'s parity. */
  public BpfMap stacks(int generation) {
    return obj.map(STACK_MAPS.get(generation & 1));
  }

  /**
   * The frames of stack {@code id} in the map of {@code generation}'s parity, innermost first;
   * empty for a negative or freed id.
   */
  public long[] stack(int generation, int id) {
    return stacks(generation).stack(id);
  }

  /** Makes new stacks go to {@code generation}'s map, and events carry that number. */
  public synchronized void selectGeneration(int generation) {
    try (Arena a = Arena.ofConfined()) {
      obj.map("stack_gen")
          .update(a.allocateFrom(JAVA_INT, 0), a.allocateFrom(JAVA_INT, generation), BpfMap.ANY);
    }
  }

  /**
   * Frees every stack of the map of {@code generation}'s parity. Only for a map no program writes
   * into and no event still to be read names: events whose stacks were freed read as empty. Returns
   * how many.
   */
  public synchronized int clearStacks(int generation) {
    BpfMap m = stacks(generation);
    List<Integer> ids = new ArrayList<>();
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(JAVA_INT);
      MemorySegment next = a.allocate(JAVA_INT);
      MemorySegment prev = MemorySegment.NULL;
      while (m.nextKey(prev, next)) {
        ids.add(next.get(JAVA_INT, 0));
        MemorySegment.copy(next, 0, key, 0, 4);
        prev = key;
      }
    }
    int n = 0;
    for (int id : ids) {
      if (m.deleteStack(id)) {
        n++;
      }
    }
    return n;
  }

  /** One of the probe's health counters, summed over CPUs. */
  public long counter(ProfileCounter c) {
    return obj.map("counters").sumPerCpu(c.index());
  }

  /** The kernel's accounting of the loaded programs (counts while RunTimeStats is on). */
  public List<ProgramStats> programStats() {
    return obj.programs().stream().filter(BpfProgram::autoload).map(BpfProgram::stats).toList();
  }

  @Override
  public synchronized void close() {
    for (BpfLink l : links) {
      l.close();
    }
    links.clear();
    obj.close();
  }
}
