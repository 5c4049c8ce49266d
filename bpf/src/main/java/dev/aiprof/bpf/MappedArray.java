package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A BPF array map created with BPF_F_MMAPABLE, mapped into this process: its values are the very
 * memory the programs update, so an atomic operation here (a {@code lock xadd} on x86-64) and a
 * program's {@code __sync_fetch_and_add} on the same value never lose each other's updates, as a
 * lookup followed by an update would.
 *
 * <p>Element {@code i} starts at {@code i * valueStride()} (values are 8-byte aligned). Lifecycle:
 * {@link #of} after the map's object is loaded, {@link #close()} (idempotent, unmaps) before the
 * object closes. Thread-safety: the accessors are safe from any thread; close must not race with
 * them (the owner serializes).
 */
public final class MappedArray implements AutoCloseable {
  private static final int ARRAY = 2;
  private static final VarHandle INT = JAVA_INT.varHandle();
  private static final VarHandle LONG = JAVA_LONG.varHandle();

  private final String name;
  private final MemorySegment values;
  private final long stride;
  private boolean closed;

  private MappedArray(String name, MemorySegment values, long stride) {
    this.name = name;
    this.values = values;
    this.stride = stride;
  }

  /** Maps every value of {@code map}, a loaded BPF_MAP_TYPE_ARRAY with BPF_F_MMAPABLE. */
  public static MappedArray of(BpfMap map) {
    if (map.type() != ARRAY || (map.mapFlags() & BpfMap.MMAPABLE) == 0) {
      throw new IllegalArgumentException(
          "map " + map.name() + " is not an array created with BPF_F_MMAPABLE");
    }
    long stride = (map.valueSize() + 7L) & ~7L;
    long page = Syscalls.pageSize();
    long length = (stride * map.maxEntries() + page - 1) / page * page;
    MemorySegment m =
        Syscalls.mmap(
            length, Syscalls.PROT_READ | Syscalls.PROT_WRITE, map.fd(), 0, "map " + map.name());
    return new MappedArray(map.name(), m, stride);
  }

  /** Bytes from one element to the next. */
  public long valueStride() {
    return stride;
  }

  /** The 32-bit value at byte {@code offset}, read with volatile semantics. */
  public int getInt(long offset) {
    checkOpen();
    return (int) INT.getVolatile(values, offset);
  }

  /** Atomically adds {@code delta} to the 32-bit value at {@code offset}; returns the old value. */
  public int getAndAddInt(long offset, int delta) {
    checkOpen();
    return (int) INT.getAndAdd(values, offset, delta);
  }

  /** The 64-bit value at byte {@code offset} (8-byte aligned), read with volatile semantics. */
  public long getLong(long offset) {
    checkOpen();
    return (long) LONG.getVolatile(values, offset);
  }

  /** Atomically adds {@code delta} to the 64-bit value at {@code offset}; returns the old value. */
  public long getAndAddLong(long offset, long delta) {
    checkOpen();
    return (long) LONG.getAndAdd(values, offset, delta);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Syscalls.munmap(values);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("mapping of map " + name + " is closed");
    }
  }
}
