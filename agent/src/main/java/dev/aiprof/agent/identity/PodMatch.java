package dev.aiprof.agent.identity;

import java.util.Optional;

/**
 * A pod found for a cgroup, and the container in it when the container id was found.
 *
 * @param pod the pod
 * @param container the container, empty when only the pod uid matched
 */
record PodMatch(Pod pod, Optional<Pod.Container> container) {}
