package dev.aiprof.report.model;

import dev.aiprof.report.otlp.SpanRecord;

/**
 * One span placed in the timeline: its lane, its nesting depth on that lane, whether it is a leaf
 * there (no phase of its thread runs inside it), its request (trace) and parent (indices, -1 for
 * none) and its breakdown.
 */
public record PhaseBar(
    int index,
    SpanRecord span,
    int lane,
    int depth,
    boolean leaf,
    int request,
    int parent,
    Breakdown breakdown) {}
