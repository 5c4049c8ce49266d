/**
 * Writing a {@link dev.aiprof.report.model.WindowModel}: the page's data as one JSON document, the
 * self-contained HTML file (template, style and script from resources, data inlined), and the
 * Chrome/Perfetto trace-event file.
 */
package dev.aiprof.report.write;
