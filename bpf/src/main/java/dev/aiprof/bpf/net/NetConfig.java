package dev.aiprof.bpf.net;

/**
 * Load-time settings of the TCP probe.
 *
 * @param socketEntries live TCP sockets tracked (about 112 bytes each in the kernel); sockets
 *     beyond it are counted in their workload's totals without a lifetime ({@link
 *     NetCounter#SOCKS_FULL})
 * @param peerEntries (workload, remote endpoint) pairs that retransmitted or were slow
 * @param slowRttUs a connection that closes with a smoothed RTT of at least this many microseconds
 *     names its remote endpoint (0: only retransmits do)
 * @param slotShift followed threads' traffic is kept per time slot of {@code 2^slotShift} ns
 *     (default 24: 16.8 ms), the resolution at which it is attributed to phases
 */
public record NetConfig(int socketEntries, int peerEntries, long slowRttUs, int slotShift) {
  public NetConfig {
    if (socketEntries < 1 || socketEntries > 1 << 22) {
      throw new IllegalArgumentException(
          "socketEntries must be in 1..4194304, was " + socketEntries);
    }
    if (peerEntries < 1 || peerEntries > 1 << 16) {
      throw new IllegalArgumentException("peerEntries must be in 1..65536, was " + peerEntries);
    }
    if (slowRttUs < 0 || slowRttUs > 0xffffffffL) {
      throw new IllegalArgumentException("slowRttUs must be in 0..2^32-1, was " + slowRttUs);
    }
    if (slotShift < 16 || slotShift > 34) {
      throw new IllegalArgumentException("slotShift must be in 16..34, was " + slotShift);
    }
  }

  public static NetConfig defaults() {
    return new NetConfig(65536, 1024, 200_000, 24);
  }

  /** Length of one slot in ns. */
  public long slotNanos() {
    return 1L << slotShift;
  }
}
