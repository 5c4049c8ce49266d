/**
 * {@code aiprof run}: the long-running agent. {@link dev.aiprof.agent.run.Agent} starts every
 * collector that can run on the host, the correlation engine with every collector's phase signals,
 * the phase sources and the OpenTelemetry exporters; {@link dev.aiprof.agent.run.StopSignal} waits
 * for SIGTERM/SIGINT; closing stops the sources, flushes the engine and the exporters, and detaches
 * every probe. {@link dev.aiprof.agent.run.PhaseSpans} turns correlated phases into spans.
 */
package dev.aiprof.agent.run;
