package dev.aiprof.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which tracepoints this kernel has, asked of its BTF: a tp_btf program can attach to tracepoint
 * {@code X} exactly when the kernel's BTF holds the typedef {@code btf_trace_X}. Probes use it to
 * choose the programs they load (a tracepoint added in a later kernel turns its program off), never
 * the kernel version. Answers are cached per JVM; thread-safe.
 */
public final class KernelTracepoints {
  private static final int KIND_TYPEDEF = 8;
  private static final Map<String, Boolean> CACHE = new ConcurrentHashMap<>();

  private KernelTracepoints() {}

  /** Whether the kernel's BTF has the tracepoint {@code name} (e.g. "sock_send_length"). */
  public static boolean has(String name) {
    return CACHE.computeIfAbsent(name, KernelTracepoints::lookup);
  }

  private static boolean lookup(String name) {
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
                    btf, arena.allocateFrom("btf_trace_" + name), KIND_TYPEDEF);
        return id > 0;
      } finally {
        LibBpf.BTF_FREE.invokeExact(btf);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
