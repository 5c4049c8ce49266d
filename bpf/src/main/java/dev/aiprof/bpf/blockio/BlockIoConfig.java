package dev.aiprof.bpf.blockio;

/**
 * Load-time settings of the block I/O probe.
 *
 * @param ringBytes ring buffer size for request events (a power of two, at least a page); an event
 *     takes 72 bytes with its header, so the default 1 MiB holds about 14,500 requests between
 *     drains (10k IOPS of a followed process for 1.4 s)
 * @param inflightEntries requests in flight tracked at once (96 bytes each, preallocated)
 * @param statsEntries (workload, disk, direction, origin) series kept (688 bytes each)
 * @param slowNs requests at least this long from start to completion are sent as events; 0: none
 */
public record BlockIoConfig(int ringBytes, int inflightEntries, int statsEntries, long slowNs) {
  public BlockIoConfig {
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
    if (inflightEntries < 64 || statsEntries < 16) {
      throw new IllegalArgumentException(
          "inflightEntries must be >= 64 and statsEntries >= 16, were "
              + inflightEntries
              + " and "
              + statsEntries);
    }
    if (slowNs < 0) {
      throw new IllegalArgumentException("slowNs must be >= 0, was " + slowNs);
    }
  }

  public static BlockIoConfig defaults() {
    return new BlockIoConfig(1 << 20, 8192, 2048, 50_000_000);
  }

  public BlockIoConfig withSlowNs(long ns) {
    return new BlockIoConfig(ringBytes, inflightEntries, statsEntries, ns);
  }
}
