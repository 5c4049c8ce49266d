package dev.aiprof.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Finds out what this host's kernel supports by trying it: each program feature is a tiny program
 * from {@code probe.bpf.c} loaded and attached on its own (libbpf-tools style), each map or helper
 * feature a libbpf probe. The kernel version is never consulted. Probing takes tens of
 * milliseconds; do it once and pass the {@link Features} around.
 */
public final class FeatureProber {
  private static final int BPF_MAP_TYPE_ARRAY = 2;
  private static final int BPF_MAP_TYPE_STACK_TRACE = 7;
  private static final int BPF_MAP_TYPE_RINGBUF = 27;
  private static final int BPF_PROG_TYPE_KPROBE = 2;
  private static final int BPF_FUNC_GET_ATTACH_COOKIE = 174;

  private static final Map<Feature, Features.Result> HOST = new ConcurrentHashMap<>();
  private static final ThreadLocal<Boolean> PROBING = new ThreadLocal<>();

  private final Path btfPath;

  public FeatureProber() {
    this(Path.of("/sys/kernel/btf/vmlinux"));
  }

  /**
   * @param btfPath where the kernel's BTF is expected (configurable for other layouts)
   */
  public FeatureProber(Path btfPath) {
    this.btfPath = btfPath;
  }

  /**
   * Probes every feature, each on its own short-lived thread (joined before this returns): most of
   * a probe's time is the kernel's wait for readers to leave a detached tracepoint or uprobe, and
   * those waits overlap. libbpf's messages are kept per thread, so each answer keeps its own. What
   * a probe throws is thrown here, as when probing one feature.
   */
  public Features probe() {
    probe(Feature.LIBBPF); // the binding, once, before the threads use it
    Map<Feature, Features.Result> r = new ConcurrentHashMap<>();
    Map<Feature, RuntimeException> failed = new ConcurrentHashMap<>();
    Map<Feature, Error> errors = new ConcurrentHashMap<>();
    List<Thread> threads = new java.util.ArrayList<>();
    for (Feature f : Feature.values()) {
      Runnable task =
          () -> {
            try {
              r.put(f, probe(f));
            } catch (RuntimeException e) {
              failed.put(f, e);
            } catch (Error e) {
              errors.put(f, e);
            }
          };
      String name = "aiprof-probe-" + f.name().toLowerCase(java.util.Locale.ROOT);
      threads.add(Thread.ofPlatform().name(name).daemon().start(task));
    }
    threads.forEach(FeatureProber::joinUninterruptibly);
    for (Error e : errors.values()) {
      throw e;
    }
    for (RuntimeException e : failed.values()) {
      throw e;
    }
    return new Features(new EnumMap<>(r));
  }

  private static void joinUninterruptibly(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Probes one feature (a libbpf that does not load fails every feature). */
  public Features.Result probe(Feature f) {
    try {
      Native.ensureLibBpf();
    } catch (UnsupportedFeatureException e) {
      return no(f, f == Feature.LIBBPF ? e.getMessage() : "libbpf is missing");
    }
    return switch (f) {
      case LIBBPF -> ok(Feature.LIBBPF, "libbpf " + LibBpf.version());
      case BTF -> probeBtf();
      case TP_BTF -> program(f, "probe_tp_btf", BpfProgram::attachTrace);
      case TASK_STORAGE -> program(f, "probe_task_storage", BpfProgram::attachTrace);
      case RAW_TP -> program(f, "probe_raw_tp", p -> p.attachRawTracepoint("sched_switch"));
      case TRACEPOINT ->
          program(f, "probe_tracepoint", p -> p.attachTracepoint("sched", "sched_switch"));
      case FENTRY -> program(f, "probe_fentry", BpfProgram::attachTrace);
      case KPROBE -> program(f, "probe_kprobe", BpfProgram::attach);
      case UPROBE -> probeUprobe();
      case RINGBUF -> mapType(f, BPF_MAP_TYPE_RINGBUF);
      case BPF_COOKIE -> helper(f, BPF_PROG_TYPE_KPROBE, BPF_FUNC_GET_ATTACH_COOKIE);
      case BPF_STATS -> probeStats();
      case PERF_EVENT -> probePerfEvent();
      case STACK_TRACE -> mapType(f, BPF_MAP_TYPE_STACK_TRACE);
    };
  }

  /**
   * This host's answer for {@code f}, probed once per JVM with the default BTF path: how the
   * binding tells "the kernel lacks it" from other failures (a kprobe attach that fails, a fentry
   * program that does not load) without being handed {@link Features}.
   */
  static Features.Result host(Feature f) {
    Features.Result r = HOST.get(f);
    if (r == null) {
      r = new FeatureProber().probe(f); // outside the map: a probe may take tens of milliseconds
      Features.Result raced = HOST.putIfAbsent(f, r);
      r = raced != null ? raced : r;
    }
    return r;
  }

  private Features.Result probeBtf() {
    if (!Files.isReadable(btfPath)) {
      return no(
          Feature.BTF, btfPath + " is missing: the kernel was built without CONFIG_DEBUG_INFO_BTF");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment btf = (MemorySegment) LibBpf.BTF_LOAD_VMLINUX.invokeExact(errno);
      if (Native.isNull(btf)) {
        return no(Feature.BTF, "libbpf cannot parse it: " + Errno.describe(LibBpf.errno(errno)));
      }
      LibBpf.BTF_FREE.invokeExact(btf);
      return ok(Feature.BTF, btfPath.toString());
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Whether this thread is inside a probe (whose failures are answers, not errors to classify). */
  static boolean probing() {
    return PROBING.get() != null;
  }

  private Features.Result program(
      Feature f, String programName, Function<BpfProgram, BpfLink> attach) {
    PROBING.set(Boolean.TRUE);
    try (BpfObject obj = BpfObject.openResource(FeatureProber.class, "probe")) {
      for (BpfProgram p : obj.programs()) {
        p.setAutoload(p.name().equals(programName));
      }
      obj.map("probe_task_store").setAutocreate(f == Feature.TASK_STORAGE);
      obj.load();
      try (BpfLink link = attach.apply(obj.program(programName))) {
        return ok(f, "attached " + obj.program(programName).section());
      }
    } catch (BpfException e) {
      return no(f, e.getMessage());
    } finally {
      PROBING.remove();
    }
  }

  private Features.Result probeUprobe() {
    Optional<Path> libc = mappedLibc();
    if (libc.isEmpty()) {
      return no(Feature.UPROBE, "no libc mapped in this process to probe with");
    }
    return program(
        Feature.UPROBE,
        "probe_uprobe",
        p -> p.attachUprobe(Uprobe.entry(libc.get(), "getpid").withPid(0)));
  }

  /** A perf_event program on a software CPU clock, one sample a second, on the first CPU. */
  private Features.Result probePerfEvent() {
    return program(
        Feature.PERF_EVENT,
        "probe_perf_event",
        p -> {
          PerfEvent e = PerfEvent.cpuClock(PerfEvent.onlineCpus().get(0), 1);
          try {
            return p.attachPerfEvent(e);
          } finally {
            e.close(); // no-op once the link owns it
          }
        });
  }

  private Features.Result mapType(Feature f, int type) {
    int rc = probeMapType(type);
    if (rc == 1) {
      return ok(f, "map type " + type);
    }
    if (rc == 0 && probeMapType(BPF_MAP_TYPE_ARRAY) != 1) {
      // libbpf answers 0 for a refused map too: when not even an array map (in every kernel with
      // BPF) can be created, the answer is a missing privilege, not a missing map type.
      return no(f, "not probed: this process may not create BPF maps (needs CAP_BPF or root)");
    }
    return no(f, rc == 0 ? "kernel lacks it" : Errno.describe(-rc));
  }

  private static int probeMapType(int type) {
    try {
      return (int) LibBpf.PROBE_MAP_TYPE.invokeExact(type, MemorySegment.NULL);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private Features.Result helper(Feature f, int progType, int helper) {
    try {
      int rc = (int) LibBpf.PROBE_HELPER.invokeExact(progType, helper, MemorySegment.NULL);
      return rc == 1
          ? ok(f, "helper " + helper)
          : no(f, rc == 0 ? "kernel lacks it" : Errno.describe(-rc));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private Features.Result probeStats() {
    try (RunTimeStats s = RunTimeStats.enable()) {
      return ok(Feature.BPF_STATS, "BPF_ENABLE_STATS");
    } catch (UnsupportedFeatureException e) {
      return no(Feature.BPF_STATS, e.getMessage());
    }
  }

  /** The libc this JVM has mapped, from /proc/self/maps. */
  static Optional<Path> mappedLibc() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
      return lines.stream()
          .map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .filter(p -> p.contains("/libc.so") || p.matches(".*/libc-[0-9.]+\\.so"))
          .findFirst()
          .map(Path::of);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Features.Result ok(Feature f, String detail) {
    return new Features.Result(f, true, detail);
  }

  private static Features.Result no(Feature f, String detail) {
    return new Features.Result(f, false, detail);
  }
}
