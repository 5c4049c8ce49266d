// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Block I/O probe: every block request from its start to its completion, aggregated in the kernel
 * per (workload, device, direction, origin): requests, bytes, and log2 histograms of queue time
 * (start to issue) and service time (issue to completion). Requests of followed processes, and
 * those slower than slow_ns, are also sent one by one as ring-buffer events.
 *
 * A request is captured where it starts, in the context of the thread that submitted it:
 * block_io_start where the kernel has it (every request made from a bio), else block_rq_insert
 * (requests that go through a scheduler or a plug); a request issued without either (a driver's
 * own, a flush, a direct issue on kernels without block_io_start) is captured at block_rq_issue.
 * It is counted once, at its last block_rq_complete (the one whose bytes reach what is left of it);
 * block_io_done, where the kernel has it, finishes a request whose last completion was missed. The loader attaches only the hooks it chose (autoload off for the
 * others), and one of two variants of each: tp_btf, or raw_tp for kernels without it.
 *
 * In-flight state is a bounded hash keyed by the request's address (requests are preallocated per
 * tag and reused, so a request lost before issue is overwritten when its slot is reused; one lost
 * after issue, missed at both block_rq_complete and block_io_done, reads as a requeue of the next
 * request there; user space deletes what stays too long).
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bits.h"
#include "blockio.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h: the task is a kernel thread */
#define REQ_OP_MASK 0xff      /* include/linux/blk_types.h: the low bits of cmd_flags */

/* Load-time settings, written by the loader before load. */
const volatile __u64 slow_ns = 50000000; /* requests at least this long become events (0: none) */
const volatile bool finish_at_done = true; /* block_io_done is attached: finish what is left there */

/* 8,192 requests in flight (the loader sets the real bound). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct blockio_req);
} inflight SEC(".maps");

/* 2,048 (workload, device, direction, origin) series (the loader sets the real bound). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 2048);
	__type(key, struct blockio_key);
	__type(value, struct blockio_stats);
} stats SEC(".maps");

/* All zeros, never written: the source for new stats entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct blockio_stats);
} zero_stats SEC(".maps");

/* The scheduler probe's followed processes (reused by fd when it runs; else empty). */
#include "follow.h"

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS BLOCKIO_COUNTERS
#define PROBE_RING_BYTES (1 << 20)
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct blockio_key *unused_key __attribute__((unused));
struct blockio_stats *unused_stats __attribute__((unused));
struct blockio_req *unused_req __attribute__((unused));
struct blockio_event *unused_event __attribute__((unused));
enum blockio_limits unused_limits __attribute__((unused));
enum blockio_dir unused_dir __attribute__((unused));
enum blockio_origin unused_origin __attribute__((unused));
enum blockio_event_flag unused_flag __attribute__((unused));
enum blockio_counter unused_counter __attribute__((unused));

static __always_inline __u8 dir_of(__u32 op)
{
	switch (op & REQ_OP_MASK) {
	case 0:
		return BLOCKIO_DIR_READ;
	case 1:
		return BLOCKIO_DIR_WRITE;
	case 2:
		return BLOCKIO_DIR_FLUSH;
	case 3: /* discard */
	case 5: /* secure erase */
	case 9: /* write zeroes */
		return BLOCKIO_DIR_DISCARD;
	default:
		return BLOCKIO_DIR_OTHER;
	}
}

static __always_inline __u32 dev_of(struct request *rq)
{
	struct gendisk *disk;

	if (bpf_core_field_exists(struct request_queue, disk))
		disk = BPF_CORE_READ(rq, q, disk);
	else
		disk = BPF_CORE_READ(rq, rq_disk);
	if (!disk)
		return 0;
	return (__u32)BPF_CORE_READ(disk, major) << 20 | (__u32)BPF_CORE_READ(disk, first_minor);
}

static __always_inline __u64 cgroup_v1_id(struct task_struct *t)
{
	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	struct cgroup_subsys_state *css = BPF_CORE_READ(
		t, cgroups, subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)]);
	return css ? BPF_CORE_READ(css, cgroup, kn, id) : 0;
}

/* The cgroup v2 id the kernel charges a request's bio to (its blkcg), 0 when none or the root. */
static __always_inline __u64 charged_cgroup(struct request *rq)
{
	struct cgroup *cg;

	if (!bpf_core_field_exists(struct bio, bi_blkg))
		return 0;
	cg = BPF_CORE_READ(rq, bio, bi_blkg, blkcg, css.cgroup);
	if (!cg || BPF_CORE_READ(cg, root, hierarchy_id) != 0) /* 0: the v2 hierarchy */
		return 0;
	__u64 id = BPF_CORE_READ(cg, kn, id);
	return id == 1 ? 0 : id;
}

/* Fills the identity of a request from the thread submitting (or issuing) it. */
static __always_inline void identify(struct blockio_req *r, struct request *rq)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 op = BPF_CORE_READ(rq, cmd_flags);

	r->pid = id >> 32;
	r->tid = (__u32)id;
	r->dev = dev_of(rq);
	r->dir = dir_of(op);
	r->cgroup_id = bpf_get_current_cgroup_id();
	if (BPF_CORE_READ(t, flags) & PF_KTHREAD) {
		__u64 charged = charged_cgroup(rq);

		r->origin = r->dir == BLOCKIO_DIR_WRITE ? BLOCKIO_ORIGIN_WRITEBACK : BLOCKIO_ORIGIN_KERNEL;
		r->cgroup_v1_id = 0;
		if (charged) {
			r->cgroup_id = charged;
			r->charged = 1;
		}
		r->followed = 0;
		return;
	}
	r->cgroup_v1_id = cgroup_v1_id(t);
	r->origin = op & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_RAHEAD))
			    ? BLOCKIO_ORIGIN_READAHEAD
			    : BLOCKIO_ORIGIN_TASK;
	r->followed = bpf_map_lookup_elem(&followed, &r->pid) != NULL;
}

/*
 * block_io_start or block_rq_insert: the request starts, in its submitter's context. An issued
 * request inserted again is a requeue (block_rq_insert from the requeue work, a kernel thread): it
 * keeps its identity and start, and is timed from its next issue (counted there, as reissued).
 */
/*
 * A request's start. block_io_start fires once per request (a requeue goes back through
 * block_rq_insert, not it), so there an entry already at this address is one whose end the probe
 * missed and the new request replaces it. block_rq_insert also fires for a requeued request, which
 * keeps the start and identity it was issued with.
 */
static __always_inline int on_start(struct request *rq, bool once_per_request)
{
	__u64 key = (__u64)rq;
	struct blockio_req r = { .start_ts = bpf_ktime_get_ns() };

	if (!once_per_request) {
		struct blockio_req *e = bpf_map_lookup_elem(&inflight, &key);

		if (e && e->issue_ts)
			return 0;
	}
	identify(&r, rq);
	if (bpf_map_update_elem(&inflight, &key, &r, BPF_ANY))
		count(BLOCKIO_CNT_INFLIGHT_FULL);
	return 0;
}

/* block_rq_issue: the driver gets it. Captured here when its start was not seen. */
static __always_inline int on_issue(struct request *rq)
{
	__u64 key = (__u64)rq, now = bpf_ktime_get_ns();
	struct blockio_req *e = bpf_map_lookup_elem(&inflight, &key);

	if (e) {
		if (e->issue_ts)
			count(BLOCKIO_CNT_REISSUED);
		e->issue_ts = now;
		return 0;
	}
	struct blockio_req r = { .issue_ts = now };

	identify(&r, rq);
	if (bpf_map_update_elem(&inflight, &key, &r, BPF_ANY))
		count(BLOCKIO_CNT_INFLIGHT_FULL);
	return 0;
}

static __always_inline struct blockio_stats *stats_of(struct blockio_req *e)
{
	struct blockio_key key = {
		.cgroup_id = e->cgroup_id,
		.cgroup_v1_id = e->cgroup_v1_id,
		.dev = e->dev,
		.dir = e->dir,
		.origin = e->origin,
	};
	struct blockio_stats *s = bpf_map_lookup_elem(&stats, &key);
	__u32 zero = 0;

	if (s)
		return s;
	s = bpf_map_lookup_elem(&zero_stats, &zero);
	if (!s)
		return NULL;
	bpf_map_update_elem(&stats, &key, s, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&stats, &key);
	if (!s)
		count(BLOCKIO_CNT_STATS_FULL);
	return s;
}

static __always_inline void send(struct blockio_req *e, __u64 now, __u8 flags)
{
	struct blockio_event *ev = reserve_event(sizeof(*ev), BLOCKIO_CNT_EVENTS_DROPPED);

	if (!ev)
		return;
	ev->issue_ts = e->issue_ts ? e->issue_ts : now;
	ev->start_ts = e->start_ts ? e->start_ts : ev->issue_ts;
	ev->end_ts = now;
	ev->cgroup_id = e->cgroup_id;
	ev->cgroup_v1_id = e->cgroup_v1_id;
	ev->bytes = e->bytes;
	ev->pid = e->pid;
	ev->tid = e->tid;
	ev->dev = e->dev;
	ev->dir = e->dir;
	ev->origin = e->origin;
	ev->flags = flags;
	ev->pad = 0;
	submit_event(ev, BLOCKIO_CNT_EVENTS);
}

/* The request is done: count it in its series, send it if wanted, forget it. */
static __always_inline void finish(__u64 key, struct blockio_req *e, __u64 now)
{
	struct blockio_stats *s = stats_of(e);
	__u64 first = e->start_ts ? e->start_ts : (e->issue_ts ? e->issue_ts : now);
	__u8 flags = 0;

	count(BLOCKIO_CNT_COMPLETED);
	if (e->origin >= BLOCKIO_ORIGIN_WRITEBACK) {
		count(BLOCKIO_CNT_KERNEL);
		if (e->charged)
			count(BLOCKIO_CNT_KERNEL_CHARGED);
	}
	if (s) {
		__sync_fetch_and_add(&s->requests, 1);
		__sync_fetch_and_add(&s->bytes, e->bytes);
		if (e->start_ts && e->issue_ts && e->issue_ts >= e->start_ts) {
			__u64 q = e->issue_ts - e->start_ts;

			__sync_fetch_and_add(&s->queued, 1);
			__sync_fetch_and_add(&s->queue_ns, q);
			__sync_fetch_and_add(&s->queue_hist[log2_slot(q, BLOCKIO_HIST_SLOTS)], 1);
		}
		if (e->issue_ts && now >= e->issue_ts) {
			__u64 d = now - e->issue_ts;

			__sync_fetch_and_add(&s->issued, 1);
			__sync_fetch_and_add(&s->service_ns, d);
			__sync_fetch_and_add(&s->service_hist[log2_slot(d, BLOCKIO_HIST_SLOTS)], 1);
		}
	}
	if (e->followed)
		flags |= BLOCKIO_EVENT_FOLLOWED;
	if (slow_ns && now - first >= slow_ns)
		flags |= BLOCKIO_EVENT_SLOW;
	if (flags) {
		if (e->start_ts)
			flags |= BLOCKIO_EVENT_QUEUED;
		if (e->issue_ts)
			flags |= BLOCKIO_EVENT_ISSUED;
		if (e->error)
			flags |= BLOCKIO_EVENT_ERROR;
		send(e, now, flags);
	}
	bpf_map_delete_elem(&inflight, &key);
}

/*
 * block_rq_complete: nr_bytes of it are done, possibly a part. The tracepoint fires at the top of
 * blk_update_request (and in blk_complete_request for batched completions), before __data_len
 * shrinks: nr_bytes at least __data_len is the request's last part, and the request is finished
 * here. block_io_done cannot be the end alone: the kernel fires it only where
 * blk_mq_need_time_stamp() holds (iostats on, or a scheduler), so on a disk with iostats off and no
 * scheduler it never comes.
 */
static __always_inline int on_complete(struct request *rq, int error, unsigned int nr_bytes)
{
	__u64 key = (__u64)rq;
	struct blockio_req *e = bpf_map_lookup_elem(&inflight, &key);

	if (!e) {
		count(BLOCKIO_CNT_UNMATCHED);
		return 0;
	}
	e->bytes += nr_bytes;
	if (error)
		e->error = 1;
	if (nr_bytes >= BPF_CORE_READ(rq, __data_len))
		finish(key, e, bpf_ktime_get_ns());
	return 0;
}

/*
 * block_io_done (attached where present): the whole request is done. Normally it was finished at
 * its last block_rq_complete already; one still in flight here is one whose last completion this
 * probe missed (a program is skipped when it would nest in itself on a CPU, as a completion in an
 * interrupt over one in a task can): it is finished here, with the bytes seen so far.
 */
static __always_inline int on_done(struct request *rq)
{
	__u64 key = (__u64)rq;
	struct blockio_req *e;

	if (!finish_at_done)
		return 0;
	e = bpf_map_lookup_elem(&inflight, &key);
	if (e) {
		count(BLOCKIO_CNT_FINISHED_AT_DONE);
		finish(key, e, bpf_ktime_get_ns());
	}
	return 0;
}

SEC("tp_btf/block_io_start")
int BPF_PROG(blockio_start_btf, struct request *rq)
{
	return on_start(rq, true);
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(blockio_insert_btf, struct request *rq)
{
	return on_start(rq, false);
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(blockio_issue_btf, struct request *rq)
{
	return on_issue(rq);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(blockio_complete_btf, struct request *rq, int error, unsigned int nr_bytes)
{
	return on_complete(rq, error, nr_bytes);
}

SEC("tp_btf/block_io_done")
int BPF_PROG(blockio_done_btf, struct request *rq)
{
	return on_done(rq);
}

SEC("raw_tp/block_io_start")
int BPF_PROG(blockio_start_raw, struct request *rq)
{
	return on_start(rq, true);
}

SEC("raw_tp/block_rq_insert")
int BPF_PROG(blockio_insert_raw, struct request *rq)
{
	return on_start(rq, false);
}

SEC("raw_tp/block_rq_issue")
int BPF_PROG(blockio_issue_raw, struct request *rq)
{
	return on_issue(rq);
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(blockio_complete_raw, struct request *rq, int error, unsigned int nr_bytes)
{
	return on_complete(rq, error, nr_bytes);
}

SEC("raw_tp/block_io_done")
int BPF_PROG(blockio_done_raw, struct request *rq)
{
	return on_done(rq);
}
