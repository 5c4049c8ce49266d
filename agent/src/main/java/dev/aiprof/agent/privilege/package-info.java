/**
 * The Linux capabilities the agent needs, measured by running it with reduced sets: which collector
 * needs which capability and why ({@link dev.aiprof.agent.privilege.Need}), the check that names
 * what is missing before {@code run} starts ({@link dev.aiprof.agent.privilege.PrivilegeCheck}),
 * and the drop of what is no longer needed once the probes are attached ({@link
 * dev.aiprof.agent.privilege.CapabilityDrop}).
 */
package dev.aiprof.agent.privilege;
