package dev.aiprof.agent.deploy;

import java.util.Map;

/** Linux capability numbers (linux/capability.h) of the names Kubernetes uses. Stateless. */
final class CapBits {
  private static final Map<String, Integer> BITS =
      Map.of(
          "DAC_READ_SEARCH", 2,
          "SYS_PTRACE", 19,
          "SYS_ADMIN", 21,
          "SYS_RESOURCE", 24,
          "PERFMON", 38,
          "BPF", 39);

  private CapBits() {}

  static int bit(String name) {
    Integer b = BITS.get(name);
    if (b == null) {
      throw new AssertionError("capability " + name + " has no number here: add it to CapBits");
    }
    return b;
  }
}
