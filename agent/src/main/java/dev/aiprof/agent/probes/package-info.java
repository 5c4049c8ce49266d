/**
 * {@code aiprof probes}: the BPF programs of this host's agents (built-in) and of their bpftrace
 * children (custom), with state, {@code BPF_ENABLE_STATS} cost and last error.
 */
package dev.aiprof.agent.probes;
