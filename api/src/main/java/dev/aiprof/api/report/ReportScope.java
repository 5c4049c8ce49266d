package dev.aiprof.api.report;

import dev.aiprof.api.Cgroups;
import java.time.Duration;
import java.util.Set;

/**
 * What a report is about, as the user asked for it: one process, one cgroup subtree, or everything;
 * how many rows to list; the stall threshold.
 *
 * @param pid the process asked for, or 0
 * @param cgroupIds ids of the cgroup subtree asked for (v2 or v1 memory ids), empty for none
 * @param top rows per table
 * @param minStall off-CPU and runqueue gaps at least this long are stalls
 * @param probeCost whether to measure and show the probes' own kernel cost
 * @param cgroups display names of cgroups, by their ids
 */
public record ReportScope(
    int pid, Set<Long> cgroupIds, int top, Duration minStall, boolean probeCost, Cgroups cgroups) {
  public ReportScope {
    cgroupIds = Set.copyOf(cgroupIds);
  }

  /** Whether a cgroup subtree was asked for. */
  public boolean byCgroup() {
    return !cgroupIds.isEmpty();
  }
}
