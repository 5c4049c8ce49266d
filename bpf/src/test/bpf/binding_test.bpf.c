// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Test-only programs for the libbpf binding's own tests (never shipped). */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u64 magic = 0;
const volatile __u32 target_tid = 0; /* only this thread is recorded */
const volatile __u8 small = 0;

struct test_record {
	__u64 cookie;
	__u64 value;
	__u32 pid;
	__u32 kind; /* 0: function entry, 1: return */
};

struct test_record *unused_record __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen_magic SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} switches SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} records SEC(".maps");

/* A second ring, for tests of one poller draining several. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} records_b SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(copy_magic)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&seen_magic, &k);
	__u64 *c = bpf_map_lookup_elem(&switches, &k);

	if (v)
		*v = magic + small;
	if (c)
		*c += 1;
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(on_entry)
{
	struct test_record *r;

	if ((__u32)bpf_get_current_pid_tgid() != target_tid)
		return 0;
	r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
	if (!r)
		return 0;
	r->cookie = bpf_get_attach_cookie(ctx);
	r->value = 0;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->kind = 0;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

/* As on_entry, into records_b. */
SEC("uprobe")
int BPF_KPROBE(on_entry_b)
{
	struct test_record *r;

	if ((__u32)bpf_get_current_pid_tgid() != target_tid)
		return 0;
	r = bpf_ringbuf_reserve(&records_b, sizeof(*r), 0);
	if (!r)
		return 0;
	r->cookie = bpf_get_attach_cookie(ctx);
	r->value = bpf_ktime_get_ns();
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->kind = 0;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_return, long ret)
{
	struct test_record *r;

	if ((__u32)bpf_get_current_pid_tgid() != target_tid)
		return 0;
	r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
	if (!r)
		return 0;
	r->cookie = bpf_get_attach_cookie(ctx);
	r->value = ret;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->kind = 1;
	bpf_ringbuf_submit(r, 0);
	return 0;
}

/* Not loaded unless a test asks ("?"): the verifier must reject the unchecked pointer. */
SEC("?tp_btf/sched_switch")
int BPF_PROG(rejected)
{
	__u32 k = bpf_get_smp_processor_id();
	__u64 *v = bpf_map_lookup_elem(&hash_map, &k);

	*v = 1;
	return 0;
}
