package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One map of a {@link BpfObject}. Before load: size it, skip creating it, or make it share an
 * existing map. After load: element operations by file descriptor, safe from any thread.
 *
 * <p>Keys and values are passed as memory segments of {@link #keySize()} and {@link
 * #valueBufferSize()} bytes; for per-CPU maps a value holds one slot per possible CPU, each rounded
 * up to 8 bytes ({@link #perCpuStride()}).
 */
public final class BpfMap {
  /** Update flags of bpf_map_update_elem. */
  public static final long ANY = 0;

  public static final long NOEXIST = 1;
  public static final long EXIST = 2;

  /** Map flag: user space may mmap the array (BPF_F_MMAPABLE). */
  public static final int MMAPABLE = 1 << 10;

  private static final int HASH = 1;
  private static final int PERCPU_HASH = 5;
  private static final int PERCPU_ARRAY = 6;
  private static final int LRU_HASH = 9;
  private static final int LRU_PERCPU_HASH = 10;

  private final BpfObject owner;
  private final MemorySegment map;
  private final String name;
  private volatile boolean batchUnsupported;

  BpfMap(BpfObject owner, MemorySegment map) {
    this.owner = owner;
    this.map = map;
    try {
      this.name = Native.string((MemorySegment) LibBpf.MAP_NAME.invokeExact(map));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public String name() {
    return name;
  }

  public int fd() {
    return intOf(LibBpf.MAP_FD);
  }

  /** The map's id in the kernel (as bpftool shows it), after load. */
  public int id() {
    owner.checkLoaded("id of map " + name);
    return ProgramInfo.idOf(fd(), "map " + name);
  }

  /** The BPF_MAP_TYPE_* number. */
  public int type() {
    return intOf(LibBpf.MAP_TYPE);
  }

  public int keySize() {
    return intOf(LibBpf.MAP_KEY_SIZE);
  }

  public int valueSize() {
    return intOf(LibBpf.MAP_VALUE_SIZE);
  }

  public int maxEntries() {
    return intOf(LibBpf.MAP_MAX_ENTRIES);
  }

  /** The BPF_F_* creation flags, e.g. BPF_F_MMAPABLE ({@link #MMAPABLE}). */
  public int mapFlags() {
    return intOf(LibBpf.MAP_FLAGS);
  }

  public boolean perCpu() {
    int t = type();
    return t == PERCPU_HASH || t == PERCPU_ARRAY || t == LRU_PERCPU_HASH;
  }

  /** Bytes between CPUs' slots in a per-CPU value buffer. */
  public long perCpuStride() {
    return (valueSize() + 7L) & ~7L;
  }

  /** Size of the buffer a lookup fills: the value, or one slot per possible CPU. */
  public long valueBufferSize() {
    return perCpu() ? perCpuStride() * possibleCpus() : valueSize();
  }

  /** Number of possible CPUs, the length of per-CPU values. */
  public static int possibleCpus() {
    Native.ensureLibBpf();
    try {
      int n = (int) LibBpf.NUM_POSSIBLE_CPUS.invokeExact();
      if (n <= 0) {
        throw new BpfException("count possible CPUs", -n);
      }
      return n;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  public BpfMap setMaxEntries(int entries) {
    owner.checkNotLoaded("size map " + name);
    check("size map " + name, call(LibBpf.MAP_SET_MAX_ENTRIES, entries));
    return this;
  }

  /** Whether load creates this map; a program that uses a map not created must not load. */
  public BpfMap setAutocreate(boolean create) {
    owner.checkNotLoaded("set autocreate of " + name);
    try {
      check("set autocreate of " + name, (int) LibBpf.MAP_SET_AUTOCREATE.invokeExact(map, create));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    return this;
  }

  /** Makes this object use {@code other}'s kernel map instead of creating its own. */
  public BpfMap reuse(BpfMap other) {
    owner.checkNotLoaded("reuse map " + name);
    check("reuse map " + other.name() + " as " + name, call(LibBpf.MAP_REUSE_FD, other.fd()));
    return this;
  }

  /** Copies the value of {@code key} into {@code value}; false if there is none. */
  public boolean lookup(MemorySegment key, MemorySegment value) {
    return unless(
        Errno.ENOENT,
        "look up in map ",
        fdCall(() -> (int) LibBpf.MAP_LOOKUP.invokeExact(fd(), key, value)));
  }

  public void update(MemorySegment key, MemorySegment value, long flags) {
    check(
        "update map " + name,
        fdCall(() -> (int) LibBpf.MAP_UPDATE.invokeExact(fd(), key, value, flags)));
  }

  /**
   * Adds {@code key} with {@code value} unless it has an entry (BPF_NOEXIST); false if it had one
   * (which stays as it was).
   */
  public boolean insert(MemorySegment key, MemorySegment value) {
    return unless(
        Errno.EEXIST,
        "insert into map ",
        fdCall(() -> (int) LibBpf.MAP_UPDATE.invokeExact(fd(), key, value, NOEXIST)));
  }

  /**
   * Removes {@code key} and copies the value it had into {@code value}, in one step (no program can
   * write the entry between the copy and the delete); false if it was not there. Hash maps support
   * it from Linux 5.14: before, this throws {@link BpfException} with EINVAL or ENOTSUPP.
   */
  public boolean lookupAndDelete(MemorySegment key, MemorySegment value) {
    return unless(
        Errno.ENOENT,
        "take from map ",
        fdCall(() -> (int) LibBpf.MAP_LOOKUP_AND_DELETE.invokeExact(fd(), key, value)));
  }

  /** Removes {@code key}; false if it was not there. */
  public boolean delete(MemorySegment key) {
    return unless(
        Errno.ENOENT,
        "delete from map ",
        fdCall(() -> (int) LibBpf.MAP_DELETE.invokeExact(fd(), key)));
  }

  /**
   * Writes the key after {@code key} (the first key when {@code key} is NULL); false at the end.
   */
  public boolean nextKey(MemorySegment key, MemorySegment next) {
    return unless(
        Errno.ENOENT,
        "iterate map ",
        fdCall(() -> (int) LibBpf.MAP_NEXT_KEY.invokeExact(fd(), key, next)));
  }

  /**
   * The u64 at {@code index} of a per-CPU array, summed over CPUs (0 when absent): how probes read
   * their health counters.
   */
  public long sumPerCpu(int index) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment value = a.allocate(valueBufferSize(), 8);
      if (!lookup(a.allocateFrom(JAVA_INT, index), value)) {
        return 0;
      }
      long sum = 0;
      for (long off = 0; off < value.byteSize(); off += perCpuStride()) {
        sum += value.get(JAVA_LONG, off);
      }
      return sum;
    }
  }

  /**
   * Of a stack trace map (BPF_MAP_TYPE_STACK_TRACE), the instruction pointers of the stack {@code
   * bpf_get_stackid} returned as {@code stackId}, innermost first, unused slots trimmed. Empty when
   * there is none: never stored, deleted, or a negative id (that helper's errno: no stack, or a
   * hash collision without BPF_F_REUSE_STACKID). User IPs are virtual addresses of the sampled
   * process; kernel IPs are kernel text addresses.
   */
  public long[] stack(int stackId) {
    return StackTraces.read(this, stackId);
  }

  /** As {@link #stack(int)} into {@code ips}; returns the frames copied (at most its length). */
  public int stack(int stackId, long[] ips) {
    return StackTraces.read(this, stackId, ips);
  }

  /** Frees stack {@code stackId} of a stack trace map for reuse; false if it was not there. */
  public boolean deleteStack(int stackId) {
    return StackTraces.delete(this, stackId);
  }

  /** Receives map entries; the segments are only valid during the call. */
  @FunctionalInterface
  public interface EntryConsumer {
    void accept(MemorySegment key, MemorySegment value);
  }

  /**
   * Visits every entry: in batches of up to {@code batchSize} per system call where the kernel
   * supports batch lookup for this map type, else key by key. Entries added or removed meanwhile
   * may or may not be seen. Returns the number of entries visited.
   */
  public int forEach(int batchSize, EntryConsumer consumer) {
    if (!batchUnsupported) {
      try {
        return MapIteration.batches(this, batchSize, consumer);
      } catch (BpfException e) {
        if (e.errno() != Errno.EINVAL
            && e.errno() != Errno.ENOTSUPP
            && e.errno() != Errno.EOPNOTSUPP) {
          throw e;
        }
        batchUnsupported = true;
      }
    }
    return MapIteration.keyByKey(this, consumer);
  }

  /** Which entries {@link #deleteWhere} deletes; the segments are only valid during the call. */
  @FunctionalInterface
  public interface EntryTest {
    boolean test(MemorySegment key, MemorySegment value);
  }

  /**
   * Deletes the entries {@code test} accepts: the keys are collected in one {@link #forEach} and
   * deleted after it. Returns how many were deleted (one deleted meanwhile by someone else is not
   * counted).
   */
  public int deleteWhere(int batchSize, EntryTest test) {
    List<byte[]> keys = new ArrayList<>();
    forEach(
        batchSize,
        (k, v) -> {
          if (test.test(k, v)) {
            keys.add(k.toArray(JAVA_BYTE));
          }
        });
    int deleted = 0;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment key = a.allocate(keySize(), 8);
      for (byte[] k : keys) {
        MemorySegment.copy(k, 0, key, JAVA_BYTE, 0, k.length);
        deleted += delete(key) ? 1 : 0;
      }
    }
    return deleted;
  }

  MemorySegment handle() {
    return map;
  }

  interface FdCall {
    int call() throws Throwable;
  }

  int fdCall(FdCall c) {
    owner.checkLoaded("use map " + name);
    try {
      return c.call();
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private int intOf(java.lang.invoke.MethodHandle h) {
    owner.checkOpen();
    try {
      return (int) h.invokeExact(map);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private int call(java.lang.invoke.MethodHandle h, int arg) {
    owner.checkOpen();
    try {
      return (int) h.invokeExact(map, arg);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** True when {@code rc} is 0, false when it is {@code -errno}; throws on any other error. */
  private boolean unless(int errno, String what, int rc) {
    if (rc == -errno) {
      return false;
    }
    check(what + name, rc);
    return true;
  }

  private static void check(String what, int rc) {
    if (rc < 0) {
      throw new BpfException(what, -rc);
    }
  }

  @Override
  public String toString() {
    return "BpfMap[" + name + "]";
  }
}
