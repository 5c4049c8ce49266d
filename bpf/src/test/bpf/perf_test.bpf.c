// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test-only: a CPU-clock sampler. Counts every sample per CPU, and for the samples that interrupt
 * target_tid counts its (kernel stack id, user stack id) pairs, the stacks kept in `stacks`.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define MAX_DEPTH 127 /* PERF_MAX_STACK_DEPTH */

const volatile __u32 target_tid = 0;

struct stack_pair {
	__s32 kernel; /* stack id in `stacks`, or a negative errno (no kernel stack: in user mode) */
	__s32 user;
};

/* Every sample, per CPU (the value's per-CPU slots). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} samples SEC(".maps");

/* Samples of target_tid, per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} target_samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__uint(value_size, MAX_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct stack_pair);
	__type(value, __u64);
} target_stacks SEC(".maps");

SEC("perf_event")
int on_sample(void *ctx)
{
	struct stack_pair key;
	__u64 one = 1, *n;
	__u32 zero = 0;

	n = bpf_map_lookup_elem(&samples, &zero);
	if (n)
		*n += 1;
	if ((__u32)bpf_get_current_pid_tgid() != target_tid)
		return 0;
	n = bpf_map_lookup_elem(&target_samples, &zero);
	if (n)
		*n += 1;
	key.kernel = bpf_get_stackid(ctx, &stacks, 0);
	key.user = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	n = bpf_map_lookup_elem(&target_stacks, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&target_stacks, &key, &one, BPF_NOEXIST);
	return 0;
}
