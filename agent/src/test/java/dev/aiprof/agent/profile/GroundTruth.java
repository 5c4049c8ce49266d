package dev.aiprof.agent.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link dev.aiprof.testing.PhasedWorkload} measured about its own phases with the kernel's
 * accounting: one line per phase, {@code phase NAME ROUND TID START END ONCPU RUNDELAY READBYTES}.
 */
public record GroundTruth(
    String name,
    int round,
    int tid,
    long startNs,
    long endNs,
    long onCpuNs,
    long runDelayNs,
    long readBytes,
    long stealTicks,
    long outsideNs) {

  public static GroundTruth parse(String line) {
    String[] f = line.split(" ");
    return new GroundTruth(
        f[1],
        Integer.parseInt(f[2]),
        Integer.parseInt(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]),
        Long.parseLong(f[6]),
        Long.parseLong(f[7]),
        Long.parseLong(f[8]),
        Long.parseLong(f[9]),
        Long.parseLong(f[10]));
  }

  public long wallNs() {
    return endNs - startNs;
  }

  /** Time the thread was neither on a CPU nor waiting for one: its waits on something. */
  public long offNs() {
    return wallNs() - onCpuNs - runDelayNs;
  }

  /** Reads the workload's output up to "done". */
  static List<GroundTruth> readAll(dev.aiprof.testing.WorkloadProcess w) {
    List<GroundTruth> out = new ArrayList<>();
    String line;
    while ((line = w.readLine()) != null && !line.equals("done")) {
      if (line.startsWith("phase ")) {
        out.add(parse(line));
      }
    }
    return out;
  }
}
