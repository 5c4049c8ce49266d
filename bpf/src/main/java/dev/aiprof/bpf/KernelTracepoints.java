package dev.aiprof.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tracepoints the running kernel has, from its own BTF: every tracepoint has a {@code
 * btf_trace_<name>} typedef there (what tp_btf and raw_tp programs attach to). A probe asks before
 * load, and turns autoload off for programs of tracepoints the kernel lacks, instead of guessing by
 * kernel version. Answers are cached for the process. Thread-safe.
 */
public final class KernelTracepoints {
  private static final Map<String, Boolean> KNOWN = new ConcurrentHashMap<>();

  private KernelTracepoints() {}

  /**
   * Whether the kernel has the tracepoint {@code name} (e.g. {@code block_io_start}); false also
   * when the kernel has no BTF (then no tp_btf or CO-RE program loads either).
   */
  public static boolean exists(String name) {
    return KNOWN.computeIfAbsent(name, KernelTracepoints::lookUp);
  }

  private static boolean lookUp(String name) {
    Native.ensureLibBpf();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(arena);
      MemorySegment btf = (MemorySegment) LibBpf.BTF_LOAD_VMLINUX.invokeExact(errno);
      if (Native.isNull(btf)) {
        return false;
      }
      try {
        int id =
            (int)
                LibBpf.BTF_FIND.invokeExact(
                    btf, arena.allocateFrom("btf_trace_" + name), Btf.KIND_TYPEDEF);
        return id > 0;
      } finally {
        LibBpf.BTF_FREE.invokeExact(btf);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
