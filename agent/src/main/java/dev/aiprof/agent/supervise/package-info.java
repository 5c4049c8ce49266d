/**
 * The agent's supervisor ({@link dev.aiprof.agent.supervise.Supervisor}): watches the long-running
 * threads, serves one liveness check per thread, exports their restarts, and ends the agent with a
 * non-zero exit and the cause when one dies.
 */
package dev.aiprof.agent.supervise;
