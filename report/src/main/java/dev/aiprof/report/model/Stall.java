package dev.aiprof.report.model;

/**
 * An off-CPU or runqueue episode inside a phase, from an {@code aiprof.sched.stall} span event:
 * kind is {@code runqueue}, {@code preempted}, {@code blocked}, {@code sleep} or {@code other}. The
 * same episode reported by nested phases is kept once.
 */
public record Stall(int lane, long startNs, long endNs, String kind, int phase) {}
