/**
 * The Linux capabilities the agent needs, measured by running it with reduced sets: which collector
 * needs which capability and why ({@link dev.aiprof.agent.privilege.Need}), the check that names
 * what is missing before {@code run} starts ({@link dev.aiprof.agent.privilege.PrivilegeCheck}),
 * and the drop, on every thread of the process, of what is no longer needed once the probes are
 * attached ({@link dev.aiprof.agent.privilege.CapabilityDrop}, through {@code libaiprofcap.so} from
 * {@code agent/src/main/native}), read back from {@code /proc/self/task} and counted by {@link
 * dev.aiprof.agent.privilege.CapabilityMetrics}.
 */
package dev.aiprof.agent.privilege;
