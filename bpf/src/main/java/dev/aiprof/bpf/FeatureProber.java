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
import java.util.function.Function;

/**
 * Finds out what this host's kernel supports by trying it: each program feature is a tiny program
 * from {@code probe.bpf.c} loaded and attached on its own (libbpf-tools style), each map or helper
 * feature a libbpf probe. The kernel version is never consulted. Probing takes tens of
 * milliseconds; do it once and pass the {@link Features} around.
 */
public final class FeatureProber {
  private static final int BPF_MAP_TYPE_RINGBUF = 27;
  private static final int BPF_PROG_TYPE_KPROBE = 2;
  private static final int BPF_FUNC_GET_ATTACH_COOKIE = 174;

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

  public Features probe() {
    Map<Feature, Features.Result> r = new EnumMap<>(Feature.class);
    try {
      Native.ensureLibBpf();
      r.put(Feature.LIBBPF, ok(Feature.LIBBPF, "libbpf " + LibBpf.version()));
    } catch (UnsupportedFeatureException e) {
      r.put(Feature.LIBBPF, no(Feature.LIBBPF, e.getMessage()));
      for (Feature f : Feature.values()) {
        r.putIfAbsent(f, no(f, "libbpf is missing"));
      }
      return new Features(r);
    }
    r.put(Feature.BTF, probeBtf());
    r.put(Feature.TP_BTF, program(Feature.TP_BTF, "probe_tp_btf", BpfProgram::attachTrace));
    r.put(
        Feature.TASK_STORAGE,
        program(Feature.TASK_STORAGE, "probe_task_storage", BpfProgram::attachTrace));
    r.put(
        Feature.RAW_TP,
        program(Feature.RAW_TP, "probe_raw_tp", p -> p.attachRawTracepoint("sched_switch")));
    r.put(
        Feature.TRACEPOINT,
        program(
            Feature.TRACEPOINT,
            "probe_tracepoint",
            p -> p.attachTracepoint("sched", "sched_switch")));
    r.put(Feature.FENTRY, program(Feature.FENTRY, "probe_fentry", BpfProgram::attachTrace));
    r.put(Feature.KPROBE, program(Feature.KPROBE, "probe_kprobe", BpfProgram::attach));
    r.put(Feature.UPROBE, probeUprobe());
    r.put(Feature.RINGBUF, mapType(Feature.RINGBUF, BPF_MAP_TYPE_RINGBUF));
    r.put(
        Feature.BPF_COOKIE,
        helper(Feature.BPF_COOKIE, BPF_PROG_TYPE_KPROBE, BPF_FUNC_GET_ATTACH_COOKIE));
    r.put(Feature.BPF_STATS, probeStats());
    return new Features(r);
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

  private Features.Result program(
      Feature f, String programName, Function<BpfProgram, BpfLink> attach) {
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

  private Features.Result mapType(Feature f, int type) {
    try {
      int rc = (int) LibBpf.PROBE_MAP_TYPE.invokeExact(type, MemorySegment.NULL);
      return rc == 1
          ? ok(f, "map type " + type)
          : no(f, rc == 0 ? "kernel lacks it" : Errno.describe(-rc));
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
