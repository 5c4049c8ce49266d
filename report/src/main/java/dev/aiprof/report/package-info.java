/**
 * The report: one self-contained HTML file and a Chrome/Perfetto trace-event JSON file, built from
 * the OTLP files of a recorded window.
 */
package dev.aiprof.report;
