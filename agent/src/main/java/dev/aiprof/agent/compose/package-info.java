/**
 * What every command composes its pipeline from: the host services ({@link
 * dev.aiprof.agent.compose.AgentHost}) and the agent's table of settings ({@link
 * dev.aiprof.agent.compose.AgentSettings}).
 */
package dev.aiprof.agent.compose;
