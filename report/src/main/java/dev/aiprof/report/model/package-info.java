/**
 * The report's model of a window, built from spans: threads as lanes grouped per process, phases
 * with their thread-time breakdown, stalls, traces (requests) with TTFT and TPOT, per-phase
 * statistics and histograms. Pure and deterministic: the same spans give the same model.
 */
package dev.aiprof.report.model;
