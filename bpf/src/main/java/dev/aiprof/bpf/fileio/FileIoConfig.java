package dev.aiprof.bpf.fileio;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Load-time settings of the file-I/O probe.
 *
 * @param ringBytes ring buffer size for slow-read events (a power of two, at least a page); an
 *     event takes 80 bytes with its header, so the default 256 KiB holds about 3,200
 * @param slowReadNs reads at least this long are sent as events with the file's device and inode
 * @param slotShift followed threads' activity is kept per time slot of {@code 2^slotShift} ns
 *     (default 24: 16.8 ms), the resolution at which it is attributed to phases
 * @param processEntries bound of the per-process map (an exited process is folded and deleted)
 * @param slotEntries bound of the per-(thread, slot) map of followed threads
 * @param selfPid the agent's pid: its own I/O is not measured
 * @param pageShift log2 of the page size, to tell demand misses from readahead
 */
public record FileIoConfig(
    int ringBytes,
    long slowReadNs,
    int slotShift,
    int processEntries,
    int slotEntries,
    int selfPid,
    int pageShift) {
  public FileIoConfig {
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
    if (slowReadNs < 0) {
      throw new IllegalArgumentException("slowReadNs must be >= 0, was " + slowReadNs);
    }
    if (slotShift < 16 || slotShift > 34) {
      throw new IllegalArgumentException("slotShift must be in 16..34, was " + slotShift);
    }
    if (processEntries < 1 || slotEntries < 1) {
      throw new IllegalArgumentException("map sizes must be positive");
    }
    if (pageShift < 12 || pageShift > 21) {
      throw new IllegalArgumentException("pageShift must be in 12..21, was " + pageShift);
    }
  }

  /**
   * The defaults: 256 KiB ring, 10 ms slow reads, 16.8 ms slots, 16,384 entries each, this host's
   * page size.
   */
  public static FileIoConfig defaults() {
    return new FileIoConfig(256 << 10, 10_000_000, 24, 16_384, 16_384, 0, hostPageShift());
  }

  /** log2 of this host's page size ({@code getpagesize(2)}). */
  public static int hostPageShift() {
    try {
      Linker l = Linker.nativeLinker();
      MethodHandle h =
          l.downcallHandle(
              l.defaultLookup().find("getpagesize").orElseThrow(),
              FunctionDescriptor.of(ValueLayout.JAVA_INT));
      return Integer.numberOfTrailingZeros((int) h.invokeExact());
    } catch (Throwable t) {
      return 12;
    }
  }

  public FileIoConfig withSelfPid(int pid) {
    return new FileIoConfig(
        ringBytes, slowReadNs, slotShift, processEntries, slotEntries, pid, pageShift);
  }

  public FileIoConfig withSlowReadNs(long ns) {
    return new FileIoConfig(
        ringBytes, ns, slotShift, processEntries, slotEntries, selfPid, pageShift);
  }

  public FileIoConfig withPageShift(int shift) {
    return new FileIoConfig(
        ringBytes, slowReadNs, slotShift, processEntries, slotEntries, selfPid, shift);
  }

  /** Length of one slot in ns. */
  public long slotNanos() {
    return 1L << slotShift;
  }
}
