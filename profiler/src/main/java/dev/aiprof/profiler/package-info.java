/**
 * CPU profiles per phase: the {@code profile} collector (perf-event samples, off-CPU stacks at
 * switch-out), symbolisation and the folded, pprof and top-function outputs.
 */
package dev.aiprof.profiler;
