/**
 * Writing a {@link dev.aiprof.report.model.WindowModel}: the page's data as one JSON document, the
 * self-contained HTML file (template, style and scripts from resources, data inlined; {@code
 * flame.js} draws the flame graphs of {@link dev.aiprof.report.write.FlamePage}), and the
 * Chrome/Perfetto trace-event file.
 */
package dev.aiprof.report.write;
