// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Counts hits of USDT probes: one uprobe program attached at every site of the probes the agent
 * found with BCC's USDT discovery, each site with the probe's slot as its BPF cookie. The counts
 * are per-CPU (no atomics on the hot path); user space sums them. No arguments are read.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Probes counted at most (slots); the cookie of a site is its probe's slot. */
#define USDT_COUNT_SLOTS 256

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, USDT_COUNT_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} usdt_hits SEC(".maps");

SEC("uprobe")
int usdt_count(struct pt_regs *ctx)
{
	__u32 slot = (__u32)bpf_get_attach_cookie(ctx);
	__u64 *n = bpf_map_lookup_elem(&usdt_hits, &slot);

	if (n)
		*n += 1;
	return 0;
}
