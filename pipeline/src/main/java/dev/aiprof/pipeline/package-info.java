/**
 * The one composition of the agent's pipeline: collectors discovered by {@link
 * java.util.ServiceLoader} ({@link dev.aiprof.pipeline.CollectorCatalog}), started in dependency
 * order with their roles wired ({@link dev.aiprof.pipeline.Pipeline}).
 */
package dev.aiprof.pipeline;
