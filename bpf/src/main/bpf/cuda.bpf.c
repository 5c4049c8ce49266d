// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CUDA probe: uprobes on the driver API (libcuda.so.1) and the runtime API (libcudart.so.*),
 * aggregated in the kernel. Each call adds to `stats` under (time slot, thread, call, copy
 * direction): calls, errors, bytes and time in the call; user space reads slots that have ended
 * and deletes them. Synchronisation waits also go into a per-workload log2 histogram, and those of
 * at least wait_event_ns become ring-buffer events with their start and end. Nothing is streamed
 * per call.
 *
 * The attach cookie says which function a program is attached to (enum cuda_call in its low
 * byte, the copy direction in the next: CUDA_DIR_FROM_KIND for the runtime's cudaMemcpyKind).
 * Driver calls without a result worth waiting for (launches, copies, frees) have an entry probe
 * only (cuda_count, cuda_copy, cuda_free); synchronisations, allocations and every runtime call
 * have an entry and a return probe (cuda_enter, cuda_exit) that share a per-thread slot in task
 * storage. While a runtime call is in flight on a thread, the driver calls it makes are not
 * counted (CUDA_CNT_SUPPRESSED): each launch, copy or wait is counted once, as the runtime call.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "cuda.h"
#include "bits.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile __u64 wait_event_ns = 100000; /* waits at least this long become events */
const volatile __u32 slot_shift = 24;        /* stats time slots of 2^slot_shift ns (16.8 ms) */

/* The call in flight on a thread (one with a return probe), never seen by user space. */
struct cuda_task {
	__u64 entry_ts;
	__u64 args[4];
	__u32 cookie;
	__u8 in_call; /* a call with a return probe is in flight */
	__u8 runtime; /* ... and it is a runtime API call: driver calls under it are not counted */
	__u8 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct cuda_task);
} task_store SEC(".maps");

/* 16,384 (thread, call, slot) entries; user space deletes ended slots every drain. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct cuda_key);
	__type(value, struct cuda_stats);
} stats SEC(".maps");

/* 1,024 (workload, sync call) histograms. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct cuda_hist_key);
	__type(value, struct cuda_hist);
} sync_hist SEC(".maps");

/* 65,536 live allocations: size by (pid, device pointer); user space drops exited pids'. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct cuda_alloc_key);
	__type(value, __u64);
} allocs SEC(".maps");

/* All zeros, never written: the source for new sync_hist entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cuda_hist);
} zero_hist SEC(".maps");

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS CUDA_COUNTERS
#define PROBE_RING_BYTES (256 << 10)
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct cuda_key *unused_key __attribute__((unused));
struct cuda_stats *unused_stats __attribute__((unused));
struct cuda_hist_key *unused_hist_key __attribute__((unused));
struct cuda_hist *unused_hist __attribute__((unused));
struct cuda_alloc_key *unused_alloc_key __attribute__((unused));
struct cuda_wait_event *unused_event __attribute__((unused));
enum cuda_limits unused_limits __attribute__((unused));
enum cuda_call unused_call __attribute__((unused));
enum cuda_dir unused_dir __attribute__((unused));
enum cuda_counter unused_counter __attribute__((unused));

static __always_inline __u64 cgroup_v1_id(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	struct cgroup_subsys_state *css = BPF_CORE_READ(
		t, cgroups, subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)]);
	return css ? BPF_CORE_READ(css, cgroup, kn, id) : 0;
}

static __always_inline struct cuda_task *task_state(void)
{
	struct cuda_task *s = bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0,
						   BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!s)
		count(CUDA_CNT_STATE_MISSING);
	return s;
}

/* The thread's entry for (slot of now, call, dir), made on first use. */
static __always_inline struct cuda_stats *stats_of(__u16 call, __u8 dir, __u64 now, __u64 id)
{
	struct cuda_key key = { .slot = now >> slot_shift, .tid = (__u32)id, .call = call, .dir = dir };
	struct cuda_stats *v = bpf_map_lookup_elem(&stats, &key);

	if (v)
		return v;
	struct cuda_stats fresh = {
		.cgroup_id = bpf_get_current_cgroup_id(),
		.cgroup_v1_id = cgroup_v1_id(),
		.first_ts = now,
		.pid = id >> 32,
	};
	bpf_map_update_elem(&stats, &key, &fresh, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&stats, &key);
	if (!v)
		count(CUDA_CNT_STATS_FULL);
	return v;
}

static __always_inline void add(__u16 call, __u8 dir, __u64 bytes, __u64 ns, __u64 event_ns, bool error)
{
	__u64 now = bpf_ktime_get_ns();
	struct cuda_stats *v = stats_of(call, dir, now, bpf_get_current_pid_tgid());

	if (!v)
		return;
	v->last_ts = now; /* only this thread writes its entries */
	__sync_fetch_and_add(&v->calls, 1);
	if (error)
		__sync_fetch_and_add(&v->errors, 1);
	if (bytes)
		__sync_fetch_and_add(&v->bytes, bytes);
	if (ns)
		__sync_fetch_and_add(&v->ns, ns);
	if (event_ns)
		__sync_fetch_and_add(&v->event_ns, event_ns);
}

/* Whether a driver call is made inside a runtime call on this thread (then it is not counted). */
static __always_inline bool under_runtime(void)
{
	struct cuda_task *s = bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0, 0);

	if (s && s->in_call && s->runtime) {
		count(CUDA_CNT_SUPPRESSED);
		return true;
	}
	return false;
}

static __always_inline __u8 dir_of_kind(__u64 kind)
{
	return kind >= CUDA_DIR_HTOD && kind <= CUDA_DIR_DEFAULT ? (__u8)kind : CUDA_DIR_NONE;
}

static __always_inline bool is_sync(__u16 call)
{
	return call == CUDA_CALL_STREAM_SYNC || call == CUDA_CALL_CTX_SYNC ||
	       call == CUDA_CALL_EVENT_SYNC || call == CUDA_CALL_RT_DEVICE_SYNC ||
	       call == CUDA_CALL_RT_STREAM_SYNC || call == CUDA_CALL_RT_EVENT_SYNC;
}

/* Bytes of a tracked allocation being freed (0 when unknown), forgetting it. */
static __always_inline __u64 freed(__u64 ptr)
{
	struct cuda_alloc_key key = { .ptr = ptr, .pid = bpf_get_current_pid_tgid() >> 32 };
	__u64 *size, bytes;

	if (!ptr)
		return 0;
	size = bpf_map_lookup_elem(&allocs, &key);
	if (!size) {
		count(CUDA_CNT_FREE_UNKNOWN);
		return 0;
	}
	bytes = *size;
	bpf_map_delete_elem(&allocs, &key);
	return bytes;
}

/* Bytes of a successful allocation now tracked (0 when `allocs` is full or the pointer unread). */
static __always_inline __u64 allocated(__u64 out, __u64 size)
{
	struct cuda_alloc_key key = { .pid = bpf_get_current_pid_tgid() >> 32 };

	if (!out || bpf_probe_read_user(&key.ptr, sizeof(key.ptr), (void *)out) || !key.ptr)
		return 0;
	if (bpf_map_update_elem(&allocs, &key, &size, BPF_ANY)) {
		count(CUDA_CNT_ALLOCS_FULL);
		return 0;
	}
	return size;
}

static __always_inline void histogram(__u16 call, __u64 ns)
{
	struct cuda_hist_key key = {
		.cgroup_id = bpf_get_current_cgroup_id(), .cgroup_v1_id = cgroup_v1_id(), .call = call,
	};
	struct cuda_hist *h = bpf_map_lookup_elem(&sync_hist, &key);
	__u32 zero = 0;

	if (!h) {
		h = bpf_map_lookup_elem(&zero_hist, &zero);
		if (!h)
			return;
		bpf_map_update_elem(&sync_hist, &key, h, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&sync_hist, &key);
		if (!h) {
			count(CUDA_CNT_HIST_FULL);
			return;
		}
	}
	__sync_fetch_and_add(&h->slots[log2_slot(ns, CUDA_HIST_SLOTS)], 1);
}

/* Sends a long wait as an event; returns its ns when sent (0 when the ring was full). */
static __always_inline __u64 wait_event(__u16 call, __u64 start, __u64 end, long result)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct cuda_wait_event *e = reserve_event(sizeof(*e), CUDA_CNT_EVENTS_DROPPED);

	if (!e)
		return 0;
	e->start_ts = start;
	e->end_ts = end;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->cgroup_v1_id = cgroup_v1_id();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->result = (__s32)result;
	e->call = call;
	e->pad[0] = e->pad[1] = 0;
	submit_event(e, CUDA_CNT_EVENTS);
	return end - start;
}

/* Driver launches and graph launches: counted at entry. */
SEC("uprobe")
int BPF_KPROBE(cuda_count)
{
	if (!under_runtime())
		add(bpf_get_attach_cookie(ctx) & 0xff, CUDA_DIR_NONE, 0, 0, 0, false);
	return 0;
}

/* Driver copies: cuMemcpy*(dst, src, bytes, ...), direction by cookie. */
SEC("uprobe")
int BPF_KPROBE(cuda_copy, __u64 dst, __u64 src, __u64 bytes)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);

	if (!under_runtime())
		add(cookie & 0xff, (cookie >> CUDA_COOKIE_CALL_BITS) & 0xff, bytes, 0, 0, false);
	return 0;
}

/* cuMemFree_v2(ptr): the bytes freed are the tracked allocation's. */
SEC("uprobe")
int BPF_KPROBE(cuda_free, __u64 ptr)
{
	if (!under_runtime())
		add(CUDA_CALL_MEM_FREE, CUDA_DIR_NONE, freed(ptr), 0, 0, false);
	return 0;
}

/* Entry of a call with a return probe: remembers when and its first four arguments. */
SEC("uprobe")
int BPF_KPROBE(cuda_enter, __u64 a1, __u64 a2, __u64 a3, __u64 a4)
{
	__u32 cookie = bpf_get_attach_cookie(ctx);
	bool runtime = (cookie & 0xff) >= CUDA_CALL_RT_LAUNCH_KERNEL;
	struct cuda_task *s;

	if (!runtime && under_runtime())
		return 0;
	s = task_state();
	if (!s)
		return 0;
	s->args[0] = a1;
	s->args[1] = a2;
	s->args[2] = a3;
	s->args[3] = a4;
	s->cookie = cookie;
	s->runtime = runtime;
	s->in_call = 1;
	s->entry_ts = bpf_ktime_get_ns();
	return 0;
}

/* Return of a call cuda_enter saw: counts it with its time, bytes and result. */
SEC("uretprobe")
int BPF_KRETPROBE(cuda_exit, long ret)
{
	__u64 now = bpf_ktime_get_ns(), bytes = 0, ns, event_ns = 0;
	__u32 cookie = bpf_get_attach_cookie(ctx);
	__u16 call = cookie & 0xff;
	bool runtime = call >= CUDA_CALL_RT_LAUNCH_KERNEL;
	__u8 dir = CUDA_DIR_NONE;
	struct cuda_task *s = bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0, 0);

	if (s && s->in_call && s->runtime && !runtime)
		return 0; /* a driver call inside a runtime call: its entry was not counted either */
	if (!s || !s->in_call || (s->cookie & 0xff) != call) {
		count(CUDA_CNT_UNMATCHED_RETURN);
		return 0;
	}
	s->in_call = 0;
	ns = now > s->entry_ts ? now - s->entry_ts : 0;
	switch (call) {
	case CUDA_CALL_MEM_ALLOC:
	case CUDA_CALL_RT_MALLOC:
		bytes = ret == 0 ? allocated(s->args[0], s->args[1]) : 0;
		break;
	case CUDA_CALL_RT_FREE:
		bytes = ret == 0 ? freed(s->args[0]) : 0; /* a failed free frees nothing */
		break;
	case CUDA_CALL_RT_MEMCPY:
	case CUDA_CALL_RT_MEMCPY_ASYNC:
		bytes = s->args[2];
		dir = dir_of_kind(s->args[3]);
		break;
	default:
		if (is_sync(call)) {
			histogram(call, ns);
			if (ns >= wait_event_ns)
				event_ns = wait_event(call, s->entry_ts, now, ret);
		}
	}
	add(call, dir, bytes, ns, event_ns, ret != 0);
	return 0;
}
