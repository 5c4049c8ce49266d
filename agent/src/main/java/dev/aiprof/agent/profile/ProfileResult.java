package dev.aiprof.agent.profile;

import dev.aiprof.bpf.ProgramStats;
import dev.aiprof.bpf.sched.CgroupSchedStats;
import dev.aiprof.bpf.sched.ThreadSchedStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one profile run measured, with names already resolved: the input of {@link ProfileReport}.
 *
 * @param title what was profiled, e.g. "pid 1234 (python3)" or "all workloads"
 * @param variant the scheduler probe variant that ran
 * @param workloads per-cgroup statistics over the window, with display names
 * @param phases per-phase totals of the selected workload (empty when it reported no phases)
 * @param threads per-thread statistics of the followed process (empty unless --pid)
 * @param threadNames thread names (comm) by tid, for threads and stalls
 * @param stalls the longest off-CPU episodes, longest first
 * @param minStallNs the event threshold stalls were collected with
 * @param eventsSent events the probe sent in the window
 * @param eventsDropped events the probe dropped in the window (ring buffer full)
 * @param probeCost the kernel's accounting of the probe's programs over the window (empty unless
 *     asked for with --probe-stats)
 * @param self the agent's own CPU and memory over the window
 */
public record ProfileResult(
    Duration window,
    String title,
    String variant,
    List<Workload> workloads,
    List<PhaseTable.Row> phases,
    List<ThreadSchedStats> threads,
    Map<Integer, String> threadNames,
    List<Stall> stalls,
    long minStallNs,
    long eventsSent,
    long eventsDropped,
    List<ProgramStats> probeCost,
    SelfCost self) {

  /** One workload's window statistics and its display name (cgroup path). */
  public record Workload(String name, CgroupSchedStats stats) {}
}
