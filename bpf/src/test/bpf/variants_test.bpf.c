// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test-only: one counter bumped by three variants of the same hook, as the coming probes ship
 * them (libbpf-tools style): fentry, kprobe, and a tracepoint fallback. The loader autoloads one.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 target_tid = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} reads SEC(".maps");

static __always_inline int seen(void)
{
	__u32 zero = 0;
	__u64 *n;

	if ((__u32)bpf_get_current_pid_tgid() != target_tid)
		return 0;
	n = bpf_map_lookup_elem(&reads, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(read_fentry)
{
	return seen();
}

SEC("kprobe/vfs_read")
int BPF_KPROBE(read_kprobe)
{
	return seen();
}

SEC("tracepoint/syscalls/sys_enter_read")
int read_tracepoint(void *ctx)
{
	return seen();
}
