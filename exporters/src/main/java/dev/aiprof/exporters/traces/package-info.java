/**
 * Spans the agent exports: an immutable {@code SpanData} ({@link
 * dev.aiprof.exporters.traces.SpanRecord}), span contexts from received ids ({@link
 * dev.aiprof.exporters.traces.TraceIds}), and the bounded queue in front of the span exporter.
 */
package dev.aiprof.exporters.traces;
