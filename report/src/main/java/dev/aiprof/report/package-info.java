/**
 * The report: one self-contained HTML file and a Chrome/Perfetto trace-event JSON file, built from
 * the OTLP files of a recorded window, with flame graphs from the profile collector's files where
 * it ran ({@link dev.aiprof.report.profile}).
 */
package dev.aiprof.report;
