/**
 * Phases and the signals that describe them. Phase sources (collectors) report completed {@link
 * dev.aiprof.api.phase.Phase}s to a {@link dev.aiprof.api.phase.PhaseListener}; collectors that can
 * describe a phase provide {@link dev.aiprof.api.phase.PhaseSignal}s; the agent's correlation
 * engine joins the two. Times are CLOCK_MONOTONIC; {@link dev.aiprof.api.phase.ClockSync} converts
 * wall-clock sources.
 */
package dev.aiprof.api.phase;
