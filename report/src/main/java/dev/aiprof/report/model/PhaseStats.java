package dev.aiprof.report.model;

/**
 * All phases of one name in the window: how many, their wall time ({@code wallMs} summed, and its
 * histogram), and where their thread time went ({@code breakdown}, summed).
 */
public record PhaseStats(
    String name, int count, double wallMs, Histogram wall, Breakdown breakdown) {}
