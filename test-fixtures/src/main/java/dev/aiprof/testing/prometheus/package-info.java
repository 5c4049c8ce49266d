/**
 * A real Prometheus server for tests ({@link dev.aiprof.testing.prometheus.PrometheusServer}: the
 * Debian {@code prometheus} binary on loopback, scraping the given targets) and a client of its
 * HTTP query API ({@link dev.aiprof.testing.prometheus.PrometheusClient}).
 */
package dev.aiprof.testing.prometheus;
