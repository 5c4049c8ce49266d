/**
 * Hostile-input tests against a real {@code aiprof run} (issue 12): slow clients, floods, malformed
 * and oversized payloads, span limits and planted secrets. Each test prints its figure.
 */
package dev.aiprof.agent.hostile;
