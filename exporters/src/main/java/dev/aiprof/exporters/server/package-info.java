/**
 * The agent's metrics and health endpoint: {@code /metrics} for Prometheus (the SDK's {@code
 * PrometheusMetricReader}, rendered in bounded time and size), {@code /healthz} and {@code /readyz}
 * from two {@link dev.aiprof.api.health.HealthSource}s, on a server hardened against slow clients
 * ({@link dev.aiprof.api.http.HttpServers}).
 */
package dev.aiprof.exporters.server;
