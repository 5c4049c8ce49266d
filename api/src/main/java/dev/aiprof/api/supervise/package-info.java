/**
 * Supervision of the agent's long-running threads: {@link dev.aiprof.api.supervise.SupervisedLoop}
 * restarts a thread's loop after a failure (with backoff, counted per thread in {@link
 * dev.aiprof.api.supervise.Restarts}) and gives up, letting the thread die, when it keeps failing;
 * the agent's supervisor turns a dead thread into a failing liveness check and a non-zero exit.
 */
package dev.aiprof.api.supervise;
