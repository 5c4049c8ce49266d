package dev.aiprof.profiler;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.phase.PhaseOrigin;
import dev.aiprof.api.profile.StackSample;
import dev.aiprof.api.profile.StackSink;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.bpf.Features;
import dev.aiprof.bpf.FollowMaps;
import dev.aiprof.bpf.RingPoller;
import dev.aiprof.bpf.profile.ProfileConfig;
import dev.aiprof.bpf.profile.ProfileEvent;
import dev.aiprof.bpf.profile.ProfileKind;
import dev.aiprof.bpf.profile.ProfileProbe;
import dev.aiprof.collectors.sched.SchedSettings;
import dev.aiprof.profiler.symbols.Bcc;
import dev.aiprof.profiler.symbols.Frame;
import dev.aiprof.profiler.symbols.JnaBcc;
import dev.aiprof.profiler.symbols.Kallsyms;
import dev.aiprof.profiler.symbols.Symbolizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.IntConsumer;

/**
 * The {@code profile} collector: loads the {@link ProfileProbe} (CPU-clock samples on every CPU,
 * off-CPU stacks of followed threads), takes its events from the host's ring poller into a bounded
 * queue, and every 100 ms (and before each phase description and report) turns them into samples:
 * stacks read from the kernel's stack map once per id and interned, handed to the pipeline's stack
 * sink, kept per thread for phases ({@link Samples}) and counted per stack for the window. The
 * phase signal ({@link ProfileSignal}) and the report section ({@link ProfileReport}) symbolise
 * with one {@link Symbolizer}.
 *
 * <p>Bounds: the event queue ({@value #QUEUE} events; more dropped, counted), the kernel's two
 * stack maps ({@code profile.max-stacks} each; the generation moves to the other, empty, map when a
 * thirty-second of the current one's entries are known, and the previous map is emptied once every
 * event that names it has been read: {@link StackGenerations}), samples ({@code
 * profile.max-samples}, 4,096 threads), the window's distinct stacks ({@value #WINDOW_STACKS} per
 * kind; more counted into {@code [other]}), the symboliser's caches (256 processes × 16,384
 * frames).
 *
 * <p>Files ({@code profile.files}): the window's folded, pprof and manifest files are written when
 * a report renders ({@code aiprof profile}), else when the collector closes ({@code aiprof run},
 * {@code aiprof demo}); {@code aiprof report} draws them as flame graphs.
 *
 * <p>Threads: the ring poller enqueues; housekeeping, the engine and the report thread call {@link
 * #resolve} (synchronized).
 */
public final class ProfileCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(ProfileCollector.class.getName());
  static final int QUEUE = 65_536;
  static final int WINDOW_STACKS = 16_384;
  private static final int EEXIST = 17;

  private final ArrayBlockingQueue<ProfileEvent> pending = new ArrayBlockingQueue<>(QUEUE);

  /** Stacks by (user id, kernel id), one map per stack-map generation parity. */
  @SuppressWarnings("unchecked")
  private final Map<Long, Stack>[] interned = new Map[] {new HashMap<>(), new HashMap<>()};

  /** The generation moves on after ring drain passed the move by this much. */
  static final long GRACE_NS = 10_000_000;

  private final Map<Integer, String> comms = new HashMap<>();
  private final java.util.Set<Integer> followedPids =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private Map<Stack, long[]> windowOn = new HashMap<>();
  private Map<Stack, long[]> windowOff = new HashMap<>();
  private final Map<String, WeightedStacks> byPhase = new HashMap<>();
  private final Map<String, WeightedStacks> byPhaseOff = new HashMap<>();
  private final Map<String, PhaseOrigin> nameOwners = new HashMap<>();
  private long windowStartUnixNano = System.currentTimeMillis() * 1_000_000;
  private boolean windowWritten;
  private Path filesDirectory;
  private long windowOverflow;
  private int windowPid;
  private long queueDropped;
  private long stacksLost;
  private StackGenerations generations;
  private long onCpuSamples;
  private long offCpuSamples;
  private ProfileProbe probe;
  private RingPoller.Ring ring;
  private Symbolizer symbolizer;
  private Samples samples;
  private StackSink stacks;
  private HostPaths paths;
  private boolean followsKnown;
  private long retentionNs;
  private long minStallNs;
  private JvmPerfMaps jvmPerfMaps;

  @Override
  public void start(CollectorContext context) throws Exception {
    Settings s = context.settings();
    paths = context.paths();
    stacks = context.stacks();
    retentionNs = s.get(ProfileSettings.RETENTION).toNanos();
    minStallNs = s.get(SchedSettings.MIN_STALL).toNanos();
    FollowMaps follow = context.dependency("sched", FollowMaps.class).orElse(null);
    followsKnown = follow != null;
    ProfileConfig config =
        new ProfileConfig(
            s.get(ProfileSettings.FREQUENCY),
            s.get(ProfileSettings.MAX_STACKS),
            ProfileConfig.defaults().ringBytes(),
            s.get(ProfileSettings.OFF_CPU) && follow != null,
            Math.max(minStallNs, 1),
            (int) ProcessHandle.current().pid());
    samples = new Samples(4096, s.get(ProfileSettings.MAX_SAMPLES));
    IntConsumer perfMaps = pid -> {};
    if (s.get(ProfileSettings.JVM_PERF_MAP)) {
      JvmPerfMaps jvms = new JvmPerfMaps(paths, JvmPerfMaps.defaultJcmd(), System::nanoTime);
      jvmPerfMaps = jvms;
      perfMaps =
          pid -> { // only JVMs the agent follows: never another user's JVM by accident
            if (followedPids.contains(pid)) {
              jvms.accept(pid);
            }
          };
    }
    symbolizer =
        new Symbolizer(
            paths,
            bcc(),
            Kallsyms.read(paths.proc("kallsyms")),
            perfMaps,
            System::nanoTime,
            256,
            16_384);
    probe = ProfileProbe.load(context.host(Features.class), config, follow);
    ProfileProbe loaded = probe;
    generations =
        new StackGenerations(
            new StackGenerations.Maps() {
              @Override
              public long[] read(int generation, int id) {
                return loaded.stack(generation, id);
              }

              @Override
              public void clear(int generation) {
                loaded.clearStacks(generation);
              }

              @Override
              public void select(int generation) {
                loaded.selectGeneration(generation);
              }
            },
            Math.max(1, config.maxStacks() / 32),
            GRACE_NS,
            System::nanoTime);
    ring =
        context.host(RingPoller.class).add(probe.events(), (a, n) -> enqueue(ProfileEvent.at(a)));
    RingPoller.Ring r = ring;
    context.signal(
        new ProfileSignal(this, r::drainedUntil, s.get(ProfileSettings.TOP), minStallNs, 8));
    filesDirectory = s.get(ProfileSettings.FILES) ? ProfileFiles.directory(s) : null;
    context.report(new ProfileReport(this, filesDirectory));
    context.metrics(new ProfileMetrics(this)::collect);
    context.offer(ProfileCollector.class, this);
    context.every("resolve", Duration.ofMillis(100), this::resolveQuietly);
    context.every("prune", Duration.ofSeconds(1), this::prune);
  }

  private static Bcc bcc() {
    try {
      return JnaBcc.load();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.log(
          System.Logger.Level.INFO,
          "libbcc.so.0 not found (Debian: libbpfcc): user frames are named by module and offset");
      return null;
    }
  }

  private void enqueue(ProfileEvent e) {
    if (!pending.offer(e)) {
      synchronized (this) {
        queueDropped++;
      }
    }
  }

  /** Turns every queued event into samples now. */
  public synchronized void resolve() {
    long drained = ring.drainedUntil(); // before the queue: every event handed on by then is in it
    ProfileEvent e;
    while ((e = pending.poll()) != null) {
      take(e);
    }
    int emptied = generations.advance(drained);
    if (emptied >= 0) {
      interned[emptied & 1].clear();
    }
  }

  private void take(ProfileEvent e) {
    Stack st = intern(e);
    boolean on = e.kind() == ProfileKind.ON_CPU;
    long weight = on ? probe.config().periodNs() : e.offNs();
    if (on) {
      onCpuSamples++;
      count(windowOn, st, weight);
    } else {
      offCpuSamples++;
      count(windowOff, st, weight);
    }
    if (e.followed() && !followedPids.contains(e.pid())) {
      if (followedPids.size() >= 4096) {
        followedPids.clear();
      }
      followedPids.add(e.pid());
    }
    if (e.followed() || !followsKnown) {
      if (jvmPerfMaps != null && on && st.user().length > 0 && followedPids.contains(e.pid())) {
        // JIT code: the perf map is asked for now (only followed JVMs are asked: symbolising
        // every sample's leaf here cost ~1 ms a sample on a loaded host, under the lock)
        symbolizer.user(e.pid(), st.user()[0]);
      }
      samples.add(e.pid(), new Samples.Sample(e.timestampNs(), weight, on, e.tid(), st, e.state()));
    }
    stacks.onStack(
        new StackSample(
            e.pid(),
            e.tid(),
            e.timestampNs(),
            on ? StackSample.Kind.ON_CPU : StackSample.Kind.OFF_CPU,
            weight,
            st.user(),
            st.kernel()));
  }

  private void count(Map<Stack, long[]> window, Stack st, long weight) {
    long[] v = window.get(st);
    if (v == null) {
      if (window.size() >= WINDOW_STACKS) {
        windowOverflow++;
        return;
      }
      v = new long[2];
      window.put(st, v);
    }
    v[0]++;
    v[1] += weight;
  }

  private Stack intern(ProfileEvent e) {
    if (e.inline()) {
      return new Stack(e.pid(), e.userIps(), e.kernelIps(), false);
    }
    int gen = e.stackGeneration();
    if (!generations.holds(gen)) { // its map was emptied since: no stack rather than another's
      generations.expire();
      stacksLost++;
      return new Stack(e.pid(), Stack.NONE, Stack.NONE, true);
    }
    Map<Long, Stack> known = interned[gen & 1];
    long key = ((long) e.userStack() << 32) | (e.kernelStack() & 0xffffffffL);
    Stack st = known.get(key);
    if (st != null && st.pid() == e.pid()) {
      return st;
    }
    long[] user = generations.frames(gen, e.userStack());
    long[] kernel = generations.frames(gen, e.kernelStack());
    boolean lost =
        lost(e.userStack(), user) || lost(e.kernelStack(), kernel) || e.userStack() == -EEXIST;
    st = new Stack(e.pid(), user, kernel, lost);
    if (lost) {
      stacksLost++;
    }
    known.put(key, st);
    return st;
  }

  /** A stack id that named a stack the map no longer holds. */
  private static boolean lost(int id, long[] frames) {
    return id >= 0 && frames.length == 0;
  }

  private void resolveQuietly() {
    try {
      resolve();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "profile: reading stacks failed: " + e);
    }
  }

  private void prune() {
    samples.prune(System.nanoTime() - retentionNs);
  }

  /** A stack's frame labels, root first: the process's name (when asked), user, then kernel. */
  synchronized List<String> labels(Stack st, boolean withProcess) {
    List<String> out = new ArrayList<>(st.depth() + 1);
    if (withProcess) {
      out.add(comm(st.pid()));
    }
    if (st.user().length > 0) {
      Frame[] f = symbolizer.user(st.pid(), st.user());
      for (int i = f.length - 1; i >= 0; i--) {
        out.add(f[i].label());
      }
    }
    int from = probeFrames(st.kernel());
    for (int i = st.kernel().length - 1; i >= from; i--) {
      out.add(symbolizer.kernel(st.kernel()[i]).label());
    }
    if (out.size() == (withProcess ? 1 : 0)) {
      out.add(st.lost() ? "[stack lost]" : "[no stack]");
    }
    return out;
  }

  /**
   * How many innermost kernel frames are the probe's own (the tracepoint's BPF trampoline, up to
   * {@code __traceiter_sched_switch}): an off-CPU stack starts at {@code __schedule}.
   */
  private int probeFrames(long[] kernel) {
    for (int i = 0; i < Math.min(kernel.length, 8); i++) {
      String f = symbolizer.kernel(kernel[i]).label();
      if (f.startsWith("__traceiter_")) {
        return i + 1;
      }
      if (!f.startsWith("bpf_") && !f.startsWith("__bpf_trace") && !f.startsWith("0x")) {
        return 0;
      }
    }
    return 0;
  }

  /** The kernel frames of {@code st} without the probe's own, root first. */
  synchronized List<String> kernelLabels(Stack st) {
    List<String> out = new ArrayList<>();
    int from = probeFrames(st.kernel());
    for (int i = st.kernel().length - 1; i >= from; i--) {
      out.add(symbolizer.kernel(st.kernel()[i]).label());
    }
    return out;
  }

  /** The innermost user frame of {@code st} with a name, else its innermost user frame. */
  synchronized Frame userLeaf(Stack st) {
    if (st.user().length == 0) {
      return null;
    }
    Frame[] f = symbolizer.user(st.pid(), st.user());
    for (Frame x : f) {
      if (x.resolved()) {
        return x;
      }
    }
    return f[0];
  }

  private String comm(int pid) {
    String c = comms.get(pid);
    if (c == null) {
      try {
        c = Files.readString(paths.proc(Integer.toString(pid), "comm")).strip();
      } catch (IOException | RuntimeException e) {
        c = "pid " + pid;
      }
      if (comms.size() >= 4096) {
        comms.clear();
      }
      comms.put(pid, c);
    }
    return c;
  }

  Samples samples() {
    return samples;
  }

  /**
   * Adds a described phase's on-CPU and off-CPU stacks to its name's profiles (at most 64 names),
   * when the report is about its process (or every process).
   */
  synchronized void addPhase(
      int pid, String name, PhaseOrigin origin, WeightedStacks on, WeightedStacks off) {
    if (windowPid != 0 && pid != windowPid) {
      return;
    }
    // One phase is often marked twice, e.g. through libaiprof.so and as an OTLP span of the same
    // name: the first origin seen owns the name, another's phases of that name get a name of
    // their own, so no sample is counted twice in one profile.
    PhaseOrigin owner =
        nameOwners.size() < 1024 ? nameOwners.putIfAbsent(name, origin) : nameOwners.get(name);
    if (owner != null && !owner.equals(origin)) {
      name = name + " (" + origin.label() + ")";
    }
    if (!on.isEmpty()) {
      phase(byPhase, name).addAll(on);
    }
    if (!off.isEmpty()) {
      phase(byPhaseOff, name).addAll(off);
    }
  }

  private static WeightedStacks phase(Map<String, WeightedStacks> by, String name) {
    WeightedStacks w = by.get(name);
    if (w == null) {
      if (by.size() >= 64) {
        name = "_other";
        w = by.get(name);
      }
      if (w == null) {
        w = new WeightedStacks(WINDOW_STACKS);
        by.put(name, w);
      }
    }
    return w;
  }

  /** The window so far, symbolised: on-CPU and off-CPU stacks of {@code pid} (0: all). */
  synchronized WeightedStacks window(boolean onCpu, int pid) {
    WeightedStacks out = new WeightedStacks(WINDOW_STACKS);
    for (Map.Entry<Stack, long[]> e : (onCpu ? windowOn : windowOff).entrySet()) {
      if (pid == 0 || e.getKey().pid() == pid) {
        out.add(labels(e.getKey(), true), e.getValue()[0], e.getValue()[1]);
      }
    }
    return out;
  }

  synchronized Map<String, WeightedStacks> phases() {
    return Map.copyOf(byPhase);
  }

  synchronized Map<String, WeightedStacks> offCpuPhases() {
    return Map.copyOf(byPhaseOff);
  }

  /**
   * Writes the window's profile files into a new directory under {@code directory} named by the UTC
   * time; returns it, or null when the window has no on-CPU sample.
   */
  synchronized Path writeFiles(Path directory, int pid) throws IOException {
    resolve();
    WeightedStacks cpu = window(true, pid);
    if (cpu.isEmpty()) {
      return null;
    }
    long now = System.currentTimeMillis();
    Path dir =
        directory.resolve(
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC)));
    ProfileFiles.write(
        dir,
        new ProfileFiles.Window(
            cpu,
            window(false, pid),
            byPhase,
            byPhaseOff,
            probe.config().frequencyHz(),
            probe.config().periodNs(),
            windowStartUnixNano,
            now * 1_000_000,
            pid));
    windowWritten = true;
    return dir;
  }

  /** Starts a new window (a report opened) about {@code pid} (0: every process). */
  synchronized void resetWindow(int pid) {
    windowPid = pid;
    resolve();
    windowOn = new HashMap<>();
    windowOff = new HashMap<>();
    byPhase.clear();
    byPhaseOff.clear();
    nameOwners.clear();
    windowStartUnixNano = System.currentTimeMillis() * 1_000_000;
    windowWritten = false;
  }

  /** The ring's watermark ({@link RingPoller.Ring#drainedUntil}). */
  long drainedUntil() {
    return ring.drainedUntil();
  }

  /** The loaded probe. */
  public ProfileProbe probe() {
    return probe;
  }

  /** The symboliser (for its statistics). */
  public Symbolizer symbolizer() {
    return symbolizer;
  }

  synchronized long[] stats() {
    return new long[] {
      onCpuSamples,
      offCpuSamples,
      queueDropped,
      stacksLost,
      generations.moves(),
      windowOverflow,
      samples.refused(),
      jvmPerfMaps == null ? 0 : jvmPerfMaps.requests(),
      generations.expired()
    };
  }

  /**
   * Closes the probe; first, where no report wrote this window's files ({@code aiprof run}, {@code
   * aiprof demo}) and {@code profile.files} is on, writes them.
   */
  @Override
  public void close() {
    if (probe != null && filesDirectory != null && !windowWritten) {
      try {
        Path dir = writeFiles(filesDirectory, windowPid);
        if (dir != null) {
          LOG.log(System.Logger.Level.INFO, "profile: folded stacks and pprof files in " + dir);
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "profile: files not written to " + filesDirectory + ": " + e.getMessage());
      }
    }
    if (ring != null) {
      ring.close();
      ring = null;
    }
    if (probe != null) {
      probe.close();
      probe = null;
    }
    if (symbolizer != null) {
      symbolizer.close();
    }
  }
}
