package dev.aiprof.host;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-CPU lines of {@code /proc/stat}: each online logical CPU's time in each mode, in the
 * kernel's USER_HZ ticks (100 per second on every Linux architecture the agent runs on). Offline
 * CPUs have no line, so the logical number is read from the line ({@code cpu7}), never from the
 * line's position. Immutable.
 *
 * @param cpus one entry per online logical CPU, in the file's order
 * @param bootTime {@code btime}: the boot time in seconds since the epoch (0 when absent)
 */
public record CpuTimes(List<Cpu> cpus, long bootTime) {
  /** The kernel's clock ticks per second for {@code /proc/stat} (USER_HZ). */
  public static final int USER_HZ = 100;

  /** The modes, in the order their values are kept: OpenTelemetry's {@code cpu.mode} values. */
  public enum Mode {
    USER("user"),
    NICE("nice"),
    SYSTEM("system"),
    IDLE("idle"),
    IOWAIT("iowait"),
    INTERRUPT("interrupt"),
    SOFTIRQ("softirq"),
    STEAL("steal");

    public final String value;

    Mode(String value) {
      this.value = value;
    }
  }

  /** One logical CPU: its number and ticks per {@link Mode} (guest time is inside user/nice). */
  public record Cpu(int number, long[] ticks) {
    public double seconds(Mode m) {
      return ticks[m.ordinal()] / (double) USER_HZ;
    }

    public long total() {
      long t = 0;
      for (long v : ticks) {
        t += v;
      }
      return t;
    }
  }

  /** Parses the text of {@code /proc/stat}; lines it does not know are skipped. */
  public static CpuTimes parse(String text) {
    List<Cpu> cpus = new ArrayList<>();
    long btime = 0;
    int at = 0;
    int n = text.length();
    while (at < n) {
      int end = text.indexOf('\n', at);
      if (end < 0) {
        end = n;
      }
      if (text.startsWith("cpu", at) && at + 3 < end && Character.isDigit(text.charAt(at + 3))) {
        Cpu c = cpu(text, at + 3, end);
        if (c != null) {
          cpus.add(c);
        }
      } else if (text.startsWith("btime ", at)) {
        btime = Fields.number(text, at + 6, end);
      }
      at = end + 1;
    }
    return new CpuTimes(List.copyOf(cpus), btime);
  }

  private static Cpu cpu(String text, int from, int end) {
    Fields f = new Fields(text, from, end);
    long number = f.next();
    if (number < 0) {
      return null;
    }
    long[] ticks = new long[Mode.values().length];
    for (int i = 0; i < ticks.length; i++) {
      long v = f.next();
      ticks[i] = Math.max(0, v);
    }
    return new Cpu((int) number, ticks);
  }
}
