/**
 * The agent's configuration file and run-time services of {@code aiprof run}: the file's reading
 * ({@link dev.aiprof.agent.config.ConfigDocument}: YAML, nested maps flattened to the {@code --set}
 * keys, or Java properties) and validation with file and line, {@code aiprof config check}, the
 * SIGHUP reload ({@link dev.aiprof.agent.config.Reloader}), the SIGTERM flush deadline, readiness
 * ({@link dev.aiprof.agent.config.Readiness}) and the agent's self-telemetry ({@link
 * dev.aiprof.agent.config.SelfTelemetry}).
 */
package dev.aiprof.agent.config;
