package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code struct bpf_prog_info} and walks the kernel's program, map and link ids: how tests
 * prove nothing was left behind, and how the agent reports its probes' own cost.
 */
public final class ProgramInfo {
  // Offsets in struct bpf_prog_info (uapi, stable: fields are only ever appended).
  private static final long INFO_SIZE = 232;
  private static final long ID = 4;
  private static final long NAME = 64;
  private static final long RUN_TIME_NS = 192;
  private static final long RUN_CNT = 200;
  private static final long RECURSION_MISSES = 208;

  private ProgramInfo() {}

  static ProgramStats stats(int fd, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(INFO_SIZE, 8);
      MemorySegment len = arena.allocate(JAVA_INT);
      len.set(JAVA_INT, 0, (int) INFO_SIZE);
      int rc = (int) LibBpf.OBJ_GET_INFO.invokeExact(fd, info, len);
      if (rc < 0) {
        throw new BpfException("read info of program " + name, -rc);
      }
      return new ProgramStats(
          name != null ? name : info.getString(NAME),
          info.get(JAVA_INT, ID),
          info.get(JAVA_LONG, RUN_TIME_NS),
          info.get(JAVA_LONG, RUN_CNT),
          info.get(JAVA_LONG, RECURSION_MISSES));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * The kernel id of the program, map or link behind {@code fd}: every *_info struct starts with
   * {@code u32 type; u32 id}, so an 8-byte read serves all three.
   */
  static int idOf(int fd, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(8, 8);
      MemorySegment len = arena.allocateFrom(JAVA_INT, 8);
      int rc = (int) LibBpf.OBJ_GET_INFO.invokeExact(fd, info, len);
      if (rc < 0) {
        throw new BpfException("read id of " + what, -rc);
      }
      return info.get(JAVA_INT, ID);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** Ids of every BPF program loaded in the kernel, by anyone. */
  public static List<Integer> programIds() {
    return ids(LibBpf.PROG_NEXT_ID);
  }

  /** Ids of every BPF link in the kernel. */
  public static List<Integer> linkIds() {
    return ids(LibBpf.LINK_NEXT_ID);
  }

  /** Ids of every BPF map in the kernel. */
  public static List<Integer> mapIds() {
    return ids(LibBpf.MAP_NEXT_ID);
  }

  /** Run-time accounting of the program with this kernel id (any loader's, e.g. bpftrace's). */
  public static ProgramStats statsOfId(int id) {
    Native.ensureLibBpf();
    int fd;
    try {
      fd = (int) LibBpf.PROG_FD_BY_ID.invokeExact(id);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    if (fd < 0) {
      throw new BpfException("open program id " + id, -fd);
    }
    try {
      return stats(fd, null);
    } finally {
      Fds.close(fd);
    }
  }

  private static List<Integer> ids(java.lang.invoke.MethodHandle next) {
    Native.ensureLibBpf();
    List<Integer> ids = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      int id = 0;
      while ((int) next.invokeExact(id, out) == 0) {
        id = out.get(JAVA_INT, 0);
        ids.add(id);
      }
      return ids;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }
}
