package dev.aiprof.api;

import java.util.Optional;

/**
 * The host's cgroups as BPF programs name them (the cgroup v2 id and the v1 memory-controller id:
 * each directory's inode number), offered by the agent to collectors as a host service.
 * Thread-safe.
 */
public interface Cgroups {
  /**
   * The display name of a workload identity: the v2 path (from the hierarchy's root, "/..."), or
   * "memcg " and the v1 memory path where v2 says nothing (no v2, or the v2 root); empty when
   * neither is known.
   */
  Optional<String> name(long v2Id, long v1Id);

  /** Walks the hierarchies again now: {@link #exists} answers from the latest walk. */
  void refresh();

  /**
   * Whether the cgroups existed at the latest {@link #refresh}: the v2 id (where the host has v2)
   * and the v1 id (unless 0, none). False once a cgroup's directory is removed.
   */
  boolean exists(long v2Id, long v1Id);
}
