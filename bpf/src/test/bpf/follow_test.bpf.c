// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test-only: bumps the scheduler probe's follow_generation (reused by fd) at every context switch,
 * with the atomic add phase.bpf.c's in-kernel follow uses, and counts its own bumps, so a test can
 * check that no bump of either side is lost while user space bumps too.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "follow.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} bumps SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(bump_on_switch)
{
	__u32 zero = 0, *gen = bpf_map_lookup_elem(&follow_generation, &zero);
	__u64 *n = bpf_map_lookup_elem(&bumps, &zero);

	if (!gen || !n)
		return 0;
	__sync_fetch_and_add(gen, 1);
	__sync_fetch_and_add(n, 1);
	return 0;
}
