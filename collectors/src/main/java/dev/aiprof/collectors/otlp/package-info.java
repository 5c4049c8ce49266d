/**
 * The OTLP trace receiver, a phase source: workloads that already emit OpenTelemetry spans (vLLM,
 * Triton, anything with an OTel SDK) point their OTLP exporter at the agent, on loopback: gRPC on
 * 4317, HTTP on 4318. Each span becomes a {@link dev.aiprof.api.phase.Phase} of the process and
 * thread it names ({@code process.pid}, {@code thread.id}) and keeps the whole span as a {@link
 * dev.aiprof.api.phase.ForeignSpan}, so the agent can forward it enriched with the kernel's view
 * and the user's trace stays whole.
 *
 * <p>Data flow: receiver thread (decode: {@code OtlpJson} for OTLP/JSON; convert: {@code
 * SpanConverter}, {@code SpanPhases}, both pure) → bounded {@code PhaseQueue} (full: the retryable
 * OTLP answer) → one delivery thread → {@link dev.aiprof.api.phase.PhaseListener}. Entry point:
 * {@link dev.aiprof.collectors.otlp.OtlpCollector}.
 */
package dev.aiprof.collectors.otlp;
