/**
 * {@code aiprof run} against real backends, each started by its test: SkyWalking OAP (OTLP/gRPC
 * traces and metrics, read back through its Zipkin and PromQL APIs), VictoriaMetrics (OTLP/HTTP
 * metrics, PromQL) and an in-test OTLP/HTTP receiver (traces). A phased workload in a pod-like
 * cgroup marks its phases both through libaiprof.so (the agent creates those spans) and through its
 * own OTLP spans sent to the agent's receiver (the agent forwards them, enriched).
 */
package dev.aiprof.agent.backends;
