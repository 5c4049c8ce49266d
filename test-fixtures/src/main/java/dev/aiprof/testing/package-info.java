/**
 * Shared test support: preconditions that skip locally and fail under CI ({@link
 * dev.aiprof.testing.Requires}), the BPF descriptor leak check ({@link
 * dev.aiprof.testing.NoBpfLeaks}), workload generators run as child processes ({@link
 * dev.aiprof.testing.Contention}, {@link dev.aiprof.testing.WorkloadProcess}), test cgroups ({@link
 * dev.aiprof.testing.CgroupDir}) and the kernel's reference accounting ({@link
 * dev.aiprof.testing.Schedstat}).
 */
package dev.aiprof.testing;
