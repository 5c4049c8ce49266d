/**
 * What correlated phases become as metrics: {@link dev.aiprof.agent.correlation.PhaseMetrics}
 * records them into the exporters' SDK instruments, with at most {@code metrics.max-phase-names}
 * phase names per workload ({@link dev.aiprof.agent.correlation.PhaseMetricsSettings}).
 */
package dev.aiprof.agent.correlation;
