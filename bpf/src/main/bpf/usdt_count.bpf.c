// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Counts hits of USDT probes: one uprobe program attached at every site of the probes the agent
 * found with BCC's USDT discovery, each site with the probe's slot as its BPF cookie. Totals are
 * per-CPU (no atomics); user space sums them. Hits are also counted per (probe, process) in a
 * bounded hash, so that they carry the process's workload; a pair that finds the hash full is
 * counted in the USDT_COUNT_UNOWNED slot instead. No arguments are read.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "usdt_count.h"

#define EEXIST 17

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, USDT_COUNT_SLOTS + 1);
	__type(key, __u32);
	__type(value, __u64);
} usdt_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, USDT_COUNT_PIDS);
	__type(key, struct usdt_key);
	__type(value, __u64);
} usdt_by_pid SEC(".maps");

/* Referenced so that their BTF lands in the object for the Java layout test. */
enum usdt_count_limits unused_limits __attribute__((unused));

static __always_inline void add(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&usdt_hits, &slot);

	if (n)
		*n += 1;
}

SEC("uprobe")
int usdt_count(struct pt_regs *ctx)
{
	struct usdt_key k = {
		.slot = (__u32)bpf_get_attach_cookie(ctx),
		.pid = bpf_get_current_pid_tgid() >> 32,
	};
	__u64 one = 1, *c;
	long err;

	add(k.slot);
	c = bpf_map_lookup_elem(&usdt_by_pid, &k);
	if (c) {
		__sync_fetch_and_add(c, 1);
		return 0;
	}
	err = bpf_map_update_elem(&usdt_by_pid, &k, &one, BPF_NOEXIST);
	if (err == -EEXIST && (c = bpf_map_lookup_elem(&usdt_by_pid, &k))) /* another CPU's first */
		__sync_fetch_and_add(c, 1);
	else if (err)
		add(USDT_COUNT_UNOWNED);
	return 0;
}
