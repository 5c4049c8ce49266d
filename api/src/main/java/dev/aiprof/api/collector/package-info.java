/**
 * The collector SPI: {@link dev.aiprof.api.collector.CollectorProvider}s found by {@link
 * java.util.ServiceLoader}, their {@link dev.aiprof.api.collector.Role}s, and the {@link
 * dev.aiprof.api.collector.CollectorContext} they start with.
 */
package dev.aiprof.api.collector;
