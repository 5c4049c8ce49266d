package dev.aiprof.agent.privilege;

/**
 * The five capability sets of one thread, as {@code /proc/PID/task/TID/status} shows them (CapInh,
 * CapPrm, CapEff, CapBnd, CapAmb: 64-bit hex masks, bit n for capability n). Parsing is pure.
 * Immutable.
 */
record TaskCaps(long inheritable, long permitted, long effective, long bounding, long ambient) {
  /** Parses a status file's text; a missing Cap line (or a malformed one) throws. */
  static TaskCaps parse(String status) {
    long[] v = new long[5];
    int seen = 0;
    String[] keys = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
    for (String line : status.split("\n")) {
      for (int i = 0; i < keys.length; i++) {
        if (line.startsWith(keys[i])) {
          v[i] = mask(keys[i], line.substring(keys[i].length()).strip());
          seen |= 1 << i;
        }
      }
    }
    if (seen != 0b11111) {
      throw new IllegalArgumentException("status without the five Cap lines");
    }
    return new TaskCaps(v[0], v[1], v[2], v[3], v[4]);
  }

  private static long mask(String key, String hex) {
    if (hex.isEmpty() || hex.length() > 16) {
      throw new IllegalArgumentException(key + " is not a 64-bit hex mask: '" + hex + "'");
    }
    try {
      return Long.parseUnsignedLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a 64-bit hex mask: '" + hex + "'", e);
    }
  }

  /**
   * Whether the thread holds anything beyond {@code keep}: in its effective, permitted, inheritable
   * or ambient set (the bounding set only limits what an exec may gain, and shrinks only with
   * CAP_SETPCAP, which a unit's bounding set may lack).
   */
  boolean exceeds(long keep) {
    return ((effective | permitted | inheritable | ambient) & ~keep) != 0;
  }
}
