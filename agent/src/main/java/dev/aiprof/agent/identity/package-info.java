/**
 * Workload identity: which pod, container, systemd unit or process a pid or cgroup id belongs to,
 * as OpenTelemetry resource attributes.
 *
 * <p>The chain: {@code /proc/PID/cgroup} ({@link dev.aiprof.api.ProcCgroups}) or a cgroup id
 * ({@link dev.aiprof.agent.identity.CgroupNames}) → the owner read from the cgroup path ({@link
 * dev.aiprof.agent.identity.CgroupPaths}: containerd, CRI-O, Docker, Podman, both cgroup drivers,
 * systemd units) → pod metadata by container id ({@link dev.aiprof.agent.identity.PodCache}, filled
 * from the kubelet's {@code /pods} or an API server watch) → attributes ({@link
 * dev.aiprof.agent.identity.Workloads}). {@link dev.aiprof.agent.identity.WorkloadResolver} is the
 * entry point; {@link dev.aiprof.agent.identity.IdentitySettings} reads its configuration.
 *
 * <p>Also here: where the cgroup hierarchies are mounted ({@link
 * dev.aiprof.agent.identity.CgroupMounts}) and the process's capabilities ({@link
 * dev.aiprof.agent.identity.Capabilities}).
 */
package dev.aiprof.agent.identity;
