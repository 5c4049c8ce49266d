package dev.aiprof.reference.llm;

/**
 * SplitMix64, written out here so that the same seed gives the same weights on every JDK (the JDK's
 * generators do not promise a stable sequence). Not thread-safe.
 */
final class SplitMix64 {
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long next() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [-1, 1), exact in a float (24 random bits). */
  float uniform() {
    return (next() >>> 40) * 0x1p-23f - 1f;
  }
}
