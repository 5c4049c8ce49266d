/**
 * Collectors: independent sources of measurements behind one small interface ({@link
 * dev.aiprof.collectors.Collector}), registered in one place ({@link
 * dev.aiprof.collectors.CollectorRegistry}) and run by {@link
 * dev.aiprof.collectors.CollectorRunner}, which isolates failures and reports each collector's own
 * health. Collectors report cumulative values to a {@link dev.aiprof.api.metrics.MetricSink} with
 * raw workload identity ({@link dev.aiprof.api.metrics.Identity}).
 */
package dev.aiprof.collectors;
