package dev.aiprof.bpf.cuda;

/**
 * Load-time settings of the CUDA probe.
 *
 * @param ringBytes ring buffer size for wait events (a power of two, at least a page); an event
 *     takes 56 bytes with its header, so the default 256 KiB holds about 4,600 long waits
 * @param waitEventNs synchronisation waits at least this long are sent as events with their start
 *     and end; shorter ones are only counted in their time slot
 * @param slotShift statistics are kept per time slot of {@code 2^slotShift} ns (default 24: 16.8
 *     ms), the resolution at which calls other than long waits are attributed to phases
 */
public record CudaConfig(int ringBytes, long waitEventNs, int slotShift) {
  public CudaConfig {
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
    if (waitEventNs < 0) {
      throw new IllegalArgumentException("waitEventNs must be >= 0, was " + waitEventNs);
    }
    if (slotShift < 16 || slotShift > 34) {
      throw new IllegalArgumentException("slotShift must be in 16..34, was " + slotShift);
    }
  }

  public static CudaConfig defaults() {
    return new CudaConfig(256 << 10, 100_000, 24);
  }

  /** Length of one statistics slot in ns. */
  public long slotNanos() {
    return 1L << slotShift;
  }
}
