package dev.aiprof.agent.identity;

import java.util.Optional;

/**
 * What a cgroup path says about who owns the processes in it. Produced by {@link
 * CgroupPaths#owner(String)}; immutable.
 */
public sealed interface CgroupOwner {

  /**
   * A container.
   *
   * @param id the runtime's container id (64 hex digits)
   * @param runtime "containerd", "cri-o", "docker" or "podman"; empty when the path form does not
   *     say (the cgroupfs driver names the directory after the bare id)
   * @param podUid the Kubernetes pod uid, with dashes, when the container sits in a pod cgroup
   */
  record Container(String id, Optional<String> runtime, Optional<String> podUid)
      implements CgroupOwner {}

  /**
   * A Kubernetes pod's cgroup outside any container: the pod slice itself, or CRI-O's {@code
   * crio-conmon-<id>.scope} (the container monitor, not the container).
   *
   * @param uid the pod uid, with dashes
   */
  record Pod(String uid) implements CgroupOwner {}

  /**
   * A systemd unit (outside containers).
   *
   * @param unit the unit's full name, e.g. {@code nginx.service} or {@code session-3.scope}
   */
  record SystemdUnit(String unit) implements CgroupOwner {}

  /** Nothing recognisable: the root cgroup, a slice, or a path of another form. */
  record Unknown() implements CgroupOwner {}
}
