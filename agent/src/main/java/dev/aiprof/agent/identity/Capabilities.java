package dev.aiprof.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The effective Linux capabilities of a process, from the CapEff line of /proc/PID/status. */
public final class Capabilities {
  /** The capabilities aiprof may use, with their bit numbers. */
  public enum Cap {
    CAP_DAC_OVERRIDE(1),
    CAP_DAC_READ_SEARCH(2),
    CAP_KILL(5),
    CAP_SETPCAP(8),
    CAP_SYS_PTRACE(19),
    CAP_SYS_ADMIN(21),
    CAP_SYS_RESOURCE(24),
    CAP_PERFMON(38),
    CAP_BPF(39);

    final int bit;

    Cap(int bit) {
      this.bit = bit;
    }

    /** The capability's number (capabilities(7)). */
    public int bit() {
      return bit;
    }
  }

  private Capabilities() {}

  public static Set<Cap> effective(Path status) {
    try {
      List<String> lines = Files.readAllLines(status);
      return lines.stream()
          .filter(l -> l.startsWith("CapEff:"))
          .findFirst()
          .map(l -> parse(l.substring("CapEff:".length()).strip()))
          .orElse(EnumSet.noneOf(Cap.class));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + status, e);
    }
  }

  /** Decodes the hex capability mask (pure). */
  public static Set<Cap> parse(String hex) {
    long mask = Long.parseUnsignedLong(hex, 16);
    Set<Cap> caps = EnumSet.noneOf(Cap.class);
    for (Cap c : Cap.values()) {
      if ((mask & (1L << c.bit)) != 0) {
        caps.add(c);
      }
    }
    return caps;
  }

  /**
   * Whether these capabilities allow loading tracing BPF programs (5.8+: BPF+PERFMON, else
   * SYS_ADMIN).
   */
  public static boolean canTrace(Set<Cap> caps) {
    return caps.contains(Cap.CAP_SYS_ADMIN)
        || (caps.contains(Cap.CAP_BPF) && caps.contains(Cap.CAP_PERFMON));
  }
}
