/**
 * {@code aiprof demo}: the agent (the same composition as {@code aiprof run}) with the reference
 * inference service ({@code reference-model/}, its own jar) started as child processes, then the
 * phase table, verdict and report read back from the exported OTLP files.
 */
package dev.aiprof.agent.demo;
