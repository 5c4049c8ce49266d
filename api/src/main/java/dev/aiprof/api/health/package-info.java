/**
 * The agent's health seam: {@link dev.aiprof.api.health.HealthSource}s (the supervisor's threads
 * for liveness, attached probes and exporter reachability for readiness) that the agent's loopback
 * HTTP server answers {@code /healthz} and {@code /readyz} from, and that the systemd watchdog is
 * fed by.
 */
package dev.aiprof.api.health;
