/**
 * The agent's own collectors (scheduler, marker, OTLP, JFR), each registered by its {@link
 * dev.aiprof.api.collector.CollectorProvider} in {@code META-INF/services} and started by the
 * pipeline. Collectors report cumulative values to a {@link dev.aiprof.api.metrics.MetricSink} with
 * raw workload identity ({@link dev.aiprof.api.metrics.Identity}).
 */
package dev.aiprof.collectors;
