/**
 * How the reference processes are observed through public mechanisms only: the OpenTelemetry SDK
 * (spans to the agent's OTLP receiver, GenAI metrics as OTLP JSON), libaiprof.so phase marks, and
 * the GenAI semantic conventions.
 */
package dev.aiprof.reference.trace;
