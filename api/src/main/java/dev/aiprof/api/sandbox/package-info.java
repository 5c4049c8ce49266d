/**
 * Sandboxed workloads (gVisor, Kata Containers, Firecracker): recognising them from the host's
 * process tree and cgroup paths ({@link dev.aiprof.api.sandbox.Sandboxes}, pure; {@link
 * dev.aiprof.api.sandbox.ProcTree} reads {@code /proc}) and saying what the host cannot see inside
 * them ({@link dev.aiprof.api.sandbox.Sandbox#reason()}). Identity exports the result as {@code
 * container.runtime} and {@code aiprof.sandbox}; the scheduler signal and the OTLP receiver use it
 * to stop computing per-thread figures from the sandbox's own host threads.
 */
package dev.aiprof.api.sandbox;
