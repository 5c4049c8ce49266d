package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The downcall handles into the system's {@code libbpf.so.1} (1.1 or newer), and nothing else: no
 * logic lives here. The library is loaded once, on first use, by the name in the system property
 * {@code aiprof.libbpf} (default {@code libbpf.so.1}, found through the dynamic linker's path).
 *
 * <p>Functions that return a pointer report failure as NULL plus {@code errno}; they are linked
 * with errno capture and called through {@link #errnoCall}. Functions that return an int report
 * {@code -errno} directly.
 */
final class LibBpf {
  static final String LIBRARY_PROPERTY = "aiprof.libbpf";
  static final String DEFAULT_LIBRARY = "libbpf.so.1";

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final SymbolLookup LIB = load();

  // --- version
  static final MethodHandle MAJOR = fn("libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
  static final MethodHandle MINOR = fn("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));
  static final MethodHandle SET_PRINT =
      fn("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
  static final MethodHandle NUM_POSSIBLE_CPUS =
      fn("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));

  // --- objects
  static final MethodHandle OBJECT_OPEN_MEM =
      errnoFn("bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
  static final MethodHandle OBJECT_LOAD = fn("bpf_object__load", intOf(ADDRESS));
  static final MethodHandle OBJECT_CLOSE =
      fn("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
  static final MethodHandle OBJECT_BTF = fn("bpf_object__btf", ptrOf(ADDRESS));
  static final MethodHandle OBJECT_FIND_PROGRAM =
      fn("bpf_object__find_program_by_name", ptrOf(ADDRESS, ADDRESS));
  static final MethodHandle OBJECT_NEXT_PROGRAM =
      fn("bpf_object__next_program", ptrOf(ADDRESS, ADDRESS));
  static final MethodHandle OBJECT_FIND_MAP =
      fn("bpf_object__find_map_by_name", ptrOf(ADDRESS, ADDRESS));
  static final MethodHandle OBJECT_NEXT_MAP = fn("bpf_object__next_map", ptrOf(ADDRESS, ADDRESS));

  // --- programs
  static final MethodHandle PROGRAM_NAME = fn("bpf_program__name", ptrOf(ADDRESS));
  static final MethodHandle PROGRAM_SECTION = fn("bpf_program__section_name", ptrOf(ADDRESS));
  static final MethodHandle PROGRAM_FD = fn("bpf_program__fd", intOf(ADDRESS));
  static final MethodHandle PROGRAM_AUTOLOAD =
      fn("bpf_program__autoload", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
  static final MethodHandle PROGRAM_SET_AUTOLOAD =
      fn("bpf_program__set_autoload", intOf(ADDRESS, JAVA_BOOLEAN));
  static final MethodHandle PROGRAM_SET_LOG_BUF =
      fn("bpf_program__set_log_buf", intOf(ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle PROGRAM_ATTACH = errnoFn("bpf_program__attach", ptrOf(ADDRESS));
  static final MethodHandle PROGRAM_ATTACH_TRACE =
      errnoFn("bpf_program__attach_trace", ptrOf(ADDRESS));
  static final MethodHandle PROGRAM_ATTACH_RAW_TP =
      errnoFn("bpf_program__attach_raw_tracepoint", ptrOf(ADDRESS, ADDRESS));
  static final MethodHandle PROGRAM_ATTACH_TP =
      errnoFn("bpf_program__attach_tracepoint", ptrOf(ADDRESS, ADDRESS, ADDRESS));
  static final MethodHandle PROGRAM_ATTACH_KPROBE =
      errnoFn("bpf_program__attach_kprobe", ptrOf(ADDRESS, JAVA_BOOLEAN, ADDRESS));
  static final MethodHandle PROGRAM_ATTACH_PERF_EVENT =
      errnoFn("bpf_program__attach_perf_event", ptrOf(ADDRESS, JAVA_INT));
  static final MethodHandle PROGRAM_ATTACH_UPROBE =
      errnoFn(
          "bpf_program__attach_uprobe_opts", ptrOf(ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));

  // --- links
  static final MethodHandle LINK_DESTROY = fn("bpf_link__destroy", intOf(ADDRESS));
  static final MethodHandle LINK_FD = fn("bpf_link__fd", intOf(ADDRESS));

  // --- maps (libbpf objects)
  static final MethodHandle MAP_NAME = fn("bpf_map__name", ptrOf(ADDRESS));
  static final MethodHandle MAP_FD = fn("bpf_map__fd", intOf(ADDRESS));
  static final MethodHandle MAP_TYPE = fn("bpf_map__type", intOf(ADDRESS));
  static final MethodHandle MAP_KEY_SIZE = fn("bpf_map__key_size", intOf(ADDRESS));
  static final MethodHandle MAP_VALUE_SIZE = fn("bpf_map__value_size", intOf(ADDRESS));
  static final MethodHandle MAP_MAX_ENTRIES = fn("bpf_map__max_entries", intOf(ADDRESS));
  static final MethodHandle MAP_FLAGS = fn("bpf_map__map_flags", intOf(ADDRESS));
  static final MethodHandle MAP_SET_MAX_ENTRIES =
      fn("bpf_map__set_max_entries", intOf(ADDRESS, JAVA_INT));
  static final MethodHandle MAP_SET_AUTOCREATE =
      fn("bpf_map__set_autocreate", intOf(ADDRESS, JAVA_BOOLEAN));
  static final MethodHandle MAP_REUSE_FD = fn("bpf_map__reuse_fd", intOf(ADDRESS, JAVA_INT));
  static final MethodHandle MAP_INITIAL_VALUE =
      fn("bpf_map__initial_value", ptrOf(ADDRESS, ADDRESS));

  // --- maps (syscall wrappers, by fd)
  static final MethodHandle MAP_LOOKUP =
      fn("bpf_map_lookup_elem", intOf(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle MAP_UPDATE =
      fn("bpf_map_update_elem", intOf(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
  static final MethodHandle MAP_DELETE = fn("bpf_map_delete_elem", intOf(JAVA_INT, ADDRESS));
  static final MethodHandle MAP_LOOKUP_AND_DELETE =
      fn("bpf_map_lookup_and_delete_elem", intOf(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle MAP_NEXT_KEY =
      fn("bpf_map_get_next_key", intOf(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle MAP_LOOKUP_BATCH =
      fn(
          "bpf_map_lookup_batch",
          intOf(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

  // --- BTF
  static final MethodHandle BTF_FIND =
      fn("btf__find_by_name_kind", intOf(ADDRESS, ADDRESS, JAVA_INT));
  static final MethodHandle BTF_TYPE_BY_ID = fn("btf__type_by_id", ptrOf(ADDRESS, JAVA_INT));
  static final MethodHandle BTF_NAME_BY_OFFSET =
      fn("btf__name_by_offset", ptrOf(ADDRESS, JAVA_INT));
  static final MethodHandle BTF_RESOLVE_SIZE =
      fn("btf__resolve_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
  static final MethodHandle BTF_LOAD_VMLINUX =
      errnoFn("btf__load_vmlinux_btf", FunctionDescriptor.of(ADDRESS));
  static final MethodHandle BTF_FREE = fn("btf__free", FunctionDescriptor.ofVoid(ADDRESS));

  // --- feature probes, statistics, program ids
  static final MethodHandle PROBE_MAP_TYPE =
      fn("libbpf_probe_bpf_map_type", intOf(JAVA_INT, ADDRESS));
  static final MethodHandle PROBE_HELPER =
      fn("libbpf_probe_bpf_helper", intOf(JAVA_INT, JAVA_INT, ADDRESS));
  static final MethodHandle ENABLE_STATS = fn("bpf_enable_stats", intOf(JAVA_INT));
  static final MethodHandle OBJ_GET_INFO =
      fn("bpf_obj_get_info_by_fd", intOf(JAVA_INT, ADDRESS, ADDRESS));
  static final MethodHandle PROG_NEXT_ID = fn("bpf_prog_get_next_id", intOf(JAVA_INT, ADDRESS));
  static final MethodHandle LINK_NEXT_ID = fn("bpf_link_get_next_id", intOf(JAVA_INT, ADDRESS));
  static final MethodHandle MAP_NEXT_ID = fn("bpf_map_get_next_id", intOf(JAVA_INT, ADDRESS));
  static final MethodHandle PROG_FD_BY_ID = fn("bpf_prog_get_fd_by_id", intOf(JAVA_INT));

  private LibBpf() {}

  /** The library's {@code major.minor} version. */
  static String version() {
    try {
      return (int) MAJOR.invokeExact() + "." + (int) MINOR.invokeExact();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** A fresh errno capture segment for one call through an {@link #errnoFn} handle. */
  static MemorySegment errnoSlot(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  static int errno(MemorySegment slot) {
    return (int) ERRNO.get(slot, 0L);
  }

  private static SymbolLookup load() {
    String name = System.getProperty(LIBRARY_PROPERTY, DEFAULT_LIBRARY);
    try {
      return SymbolLookup.libraryLookup(name, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new UnsupportedFeatureException(
          Feature.LIBBPF,
          "cannot load "
              + name
              + " ("
              + e.getMessage()
              + "); install libbpf 1.1 or newer (Debian: apt-get install libbpf1) or point -D"
              + LIBRARY_PROPERTY
              + " at it");
    }
  }

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(symbol(name), fd);
  }

  private static MethodHandle errnoFn(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(symbol(name), fd, Linker.Option.captureCallState("errno"));
  }

  private static MemorySegment symbol(String name) {
    return LIB.find(name)
        .orElseThrow(
            () ->
                new UnsupportedFeatureException(
                    Feature.LIBBPF, "libbpf lacks " + name + "; aiprof needs libbpf 1.1 or newer"));
  }

  private static FunctionDescriptor intOf(java.lang.foreign.MemoryLayout... args) {
    return FunctionDescriptor.of(JAVA_INT, args);
  }

  private static FunctionDescriptor ptrOf(java.lang.foreign.MemoryLayout... args) {
    return FunctionDescriptor.of(ADDRESS, args);
  }
}
