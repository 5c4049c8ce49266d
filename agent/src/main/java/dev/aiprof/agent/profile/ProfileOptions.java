package dev.aiprof.agent.profile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to profile and how.
 *
 * @param duration how long to measure
 * @param pid the process to follow per thread, or 0 for none (workloads: its cgroups)
 * @param cgroup a cgroup directory whose subtree to report (takes precedence over pid for the
 *     workload and stall lists), or null
 * @param minStall off-CPU or runqueue gaps at least this long are listed as stalls
 * @param top how many workloads and stalls to list
 * @param probeStats measure the probe's own kernel cost (BPF_ENABLE_STATS) over the window
 */
public record ProfileOptions(
    Duration duration, int pid, Path cgroup, Duration minStall, int top, boolean probeStats) {}
