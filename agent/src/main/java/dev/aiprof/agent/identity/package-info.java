/**
 * Workload identity: where the cgroup hierarchies are mounted, cgroup ids to paths, and the
 * process's capabilities.
 */
package dev.aiprof.agent.identity;
