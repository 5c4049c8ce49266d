/**
 * Reports beside the exporters: {@link dev.aiprof.api.report.ReportSink}s receive phases and
 * stacks; collectors contribute {@link dev.aiprof.api.report.ReportSection}s written through a
 * structured {@link dev.aiprof.api.report.ReportWriter}.
 */
package dev.aiprof.api.report;
