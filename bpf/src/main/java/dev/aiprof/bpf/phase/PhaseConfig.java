package dev.aiprof.bpf.phase;

/**
 * Load-time settings of the phase probe.
 *
 * @param ringBytes ring buffer size (a power of two, at least a page); an event takes 96 bytes, so
 *     the default 1 MiB holds about 11,000 marker calls between two drains
 */
public record PhaseConfig(int ringBytes) {
  public PhaseConfig {
    if (Integer.bitCount(ringBytes) != 1 || ringBytes < 4096) {
      throw new IllegalArgumentException(
          "ringBytes must be a power of two >= 4096, was " + ringBytes);
    }
  }

  public static PhaseConfig defaults() {
    return new PhaseConfig(1 << 20);
  }
}
