// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Feature probes: each program is the smallest of its kind. FeatureProber loads
 * one at a time and attaches it; whether the kernel accepts it is the answer.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} probe_task_store SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(probe_tp_btf, bool preempt, struct task_struct *prev)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(probe_task_storage, bool preempt, struct task_struct *prev)
{
	__u64 *v = bpf_task_storage_get(&probe_task_store, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (v)
		*v += 1;
	return 0;
}

SEC("raw_tp/sched_switch")
int probe_raw_tp(void *ctx)
{
	return 0;
}

SEC("tracepoint/sched/sched_switch")
int probe_tracepoint(void *ctx)
{
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(probe_fentry)
{
	return 0;
}

SEC("kprobe/vfs_read")
int probe_kprobe(void *ctx)
{
	return 0;
}

SEC("uprobe")
int probe_uprobe(void *ctx)
{
	return 0;
}

SEC("perf_event")
int probe_perf_event(void *ctx)
{
	return 0;
}
