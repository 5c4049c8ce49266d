/**
 * Reading the OTLP/JSON lines the agent's file exporter writes ({@code traces-*.jsonl}, {@code
 * metrics-*.jsonl}): one export request per line, decoded span by span with Jackson's streaming
 * parser, filtered and capped.
 */
package dev.aiprof.report.otlp;
