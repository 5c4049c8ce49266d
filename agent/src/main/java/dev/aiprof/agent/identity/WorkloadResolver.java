package dev.aiprof.agent.identity;

import dev.aiprof.api.HostPaths;

/**
 * Says which workload a process or cgroup belongs to: a Kubernetes pod's container, a container, a
 * systemd unit, or just the process. The correlation engine calls it with the pids and cgroup ids
 * the probes report; exporters put the {@link Workload}'s attributes on spans and metrics.
 *
 * <p>Lookups never throw and never wait on the network longer than the configured {@code
 * lookup-wait}: a pod the metadata source does not know (yet) gives a workload with the container
 * id and pod uid but no pod name, and a dead pid gives {@link Workload.Kind#UNKNOWN}. Results are
 * cached (bounded).
 *
 * <p>Lifecycle: {@link #create} starts it (and the API server watch, if chosen); {@link #close()}
 * stops background work; idempotent. Thread-safe.
 */
public interface WorkloadResolver extends AutoCloseable {

  /** The workload of process {@code pid}. */
  Workload resolve(int pid);

  /**
   * The workload of the cgroup a probe reported, without a process: process.* attributes are
   * absent.
   *
   * @param cgroupV2Id the cgroup v2 id (the directory's inode; 0 or 1 when unknown or the root)
   * @param cgroupV1MemoryId the v1 memory-controller cgroup id (0 when the host has none)
   */
  Workload resolveCgroup(long cgroupV2Id, long cgroupV1MemoryId);

  /** Drops what is cached for {@code pid} (call it when the process exits). */
  void forget(int pid);

  /** Counters and sizes, for self-metrics. */
  Stats stats();

  @Override
  void close();

  /**
   * Counters and sizes, for self-metrics.
   *
   * @param processes processes whose workload is cached
   * @param cgroups cgroup id pairs whose workload is cached
   * @param containers containers whose pod is known
   * @param podRefreshes pod metadata refreshes that succeeded
   * @param podRefreshFailures pod metadata refreshes that failed (the source was unreachable,
   *     refused the token, ...)
   * @param rateLimited lookups of unknown container ids that found no refresh allowed
   * @param waitTimeouts lookups that stopped waiting for a slow refresh
   */
  record Stats(
      int processes,
      int cgroups,
      int containers,
      long podRefreshes,
      long podRefreshFailures,
      long rateLimited,
      long waitTimeouts) {}

  /**
   * Starts a resolver for this host.
   *
   * @param config where pod metadata comes from and cache bounds
   * @param paths where procfs is (--procfs)
   * @param mounts the cgroup hierarchies, for naming cgroup ids
   * @throws IdentityConfigException if the token or CA file the source needs is missing or bad
   */
  static WorkloadResolver create(IdentityConfig config, HostPaths paths, CgroupMounts mounts) {
    return new HostWorkloadResolver(
        config, paths, mounts, PodSources.open(config), System::nanoTime);
  }
}
