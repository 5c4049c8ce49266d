/**
 * The embedded default exporter ({@code aiprof-file}): OTLP/JSON lines, one export request per
 * line, in size-rotated files under a total size cap, for the report and any OTLP-JSON tool.
 */
package dev.aiprof.exporters.file;
