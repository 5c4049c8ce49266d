// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scheduler probe: runqueue latency, on-CPU time and off-CPU time by kind,
 * aggregated in-kernel per workload (cgroup v2 id + v1 memory-cgroup id),
 * per thread for followed processes, and long episodes sent as events.
 *
 * Two variants of every program, picked at load time by feature probe:
 *   tp_btf + task-local storage (fast: no hash lookup for per-task state)
 *   raw_tp + LRU hash keyed by tid (older kernels)
 * The loader turns off autoload for the variant it does not use and
 * autocreate for that variant's state map.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bits.h"
#include "sched.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile __u32 self_tgid = 0;           /* the agent: never measured */
const volatile __u64 min_event_ns = 1000000;  /* episodes at least this long become events */
const volatile bool trace_followed = false;   /* every episode of a followed process is an event */

/* Per-task state, never seen by user space. */
struct task_state {
	__u64 offcpu_ts;   /* left the CPU (0: not seen) */
	__u64 runnable_ts; /* became runnable after that (0: not yet) */
	__u64 oncpu_ts;    /* got a CPU (0: not seen) */
	__u64 run_delay;   /* the kernel's cumulative runqueue wait when it left (sched_info) */
	__u64 steal_ns;    /* of the slice that ended when it left, the CPU's steal */
	__u64 steal_in;    /* the CPU's cumulative steal when it got the CPU (STEAL_UNKNOWN: rebuilt) */
	__u32 waker_pid;
	__u32 waker_tid;
	__u32 follow_gen;  /* follow_generation when `followed` was looked up (0: never) */
	__u8 kind;
	__u8 followed;
	__u8 rebuilt;      /* the switch-in being closed was rebuilt, not traced */
	__u8 pad;
};

/*
 * What a task's switches added to its workload's cgroup_stats entry and have not yet written
 * there. A switch adds to this, in the task's own storage (lines of the CPU it runs on), instead
 * of looking the shared entry up (a hash of a 16-byte key) and writing its lines, which other CPUs
 * write too; flush() writes the sums, at most FLUSH_EVERY records or FLUSH_NS of time later (see
 * settle()). The histogram counts stay below FLUSH_EVERY + 3, so a byte holds each.
 */
struct pending {
	__u64 runq_ns;
	__u64 runq_max_ns;
	__u64 oncpu_ns;
	__u64 off_ns[SCHED_OFF_KINDS];
	__u64 time_ns; /* runq_ns + oncpu_ns + off_ns: what the entry is missing, in time */
	__u32 records; /* slices and episodes added (0: nothing pending) */
	__u32 oncpu_count;
	__u32 off_count[SCHED_OFF_KINDS];
	__u8 runq_hist[SCHED_HIST_SLOTS];
	__u8 blocked_hist[SCHED_HIST_SLOTS];
};

/* The raw_tp variant's pending sums: one task's at a time, flushed before the program ends. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pending);
} raw_pending SEC(".maps");

/* A task's pending sums are written to cgroup_stats at the latest after this many records... */
#define FLUSH_EVERY 64
/* ...or once they hold this much time: a task that stops switching hides less than this. */
#define FLUSH_NS 1000000ULL

/*
 * The tp_btf variant's per-task state also caches the task's cgroup ids, so that a switch does not
 * walk css_set -> cgroup -> kernfs_node twice per task: they are read again only when the task's
 * css_set (task->cgroups, which the kernel replaces whenever the task changes cgroup) changes.
 * And it holds the task's pending additions to its workload's statistics (for those ids).
 */
struct btf_state {
	struct task_state s;
	__u64 cgroups; /* the css_set the ids were read through (0: not yet) */
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	struct pending p;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct btf_state);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 102400);
	__type(key, __u32);
	__type(value, struct task_state);
} task_by_tid SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct sched_cgroup_key);
	__type(value, struct sched_cgroup_stats);
} cgroup_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct sched_thread_stats);
} thread_stats SEC(".maps");

#include "follow.h"

/* All zeros, never written: the source for new cgroup_stats entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sched_cgroup_stats);
} zero_stats SEC(".maps");

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS SCHED_COUNTERS
#define PROBE_RING_BYTES (4 << 20)
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct sched_event *unused_event __attribute__((unused));
enum sched_off_kind unused_kind __attribute__((unused));
enum sched_counter unused_counter __attribute__((unused));
enum sched_limits unused_limits __attribute__((unused));
enum sched_event_flag unused_flag __attribute__((unused));

#include "sched_task.h"

static __always_inline struct task_state *state_by_tid(__u32 tid)
{
	struct task_state *s = bpf_map_lookup_elem(&task_by_tid, &tid);
	struct task_state fresh = {};

	if (s)
		return s;
	bpf_map_update_elem(&task_by_tid, &tid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&task_by_tid, &tid);
}

static __always_inline bool is_followed(struct task_state *s, __u32 pid)
{
	__u32 zero = 0, *gen = bpf_map_lookup_elem(&follow_generation, &zero);

	if (!gen)
		return false;
	if (s->follow_gen != *gen) {
		s->followed = bpf_map_lookup_elem(&followed, &pid) != NULL;
		s->follow_gen = *gen;
	}
	return s->followed;
}

/* The cgroup_stats entry of a workload (v2 id, v1 memory-cgroup id), created when missing. */
static __always_inline struct sched_cgroup_stats *cgroup_stats_of(__u64 v2, __u64 v1)
{
	struct sched_cgroup_key key = { .cgroup_id = v2, .cgroup_v1_id = v1 };
	struct sched_cgroup_stats *v;
	__u32 zero = 0;

	v = bpf_map_lookup_elem(&cgroup_stats, &key);
	if (v)
		return v;
	v = bpf_map_lookup_elem(&zero_stats, &zero);
	if (!v)
		return NULL;
	bpf_map_update_elem(&cgroup_stats, &key, v, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&cgroup_stats, &key);
	if (!v)
		count(SCHED_CNT_CGROUPS_FULL);
	return v;
}

/*
 * Writes a task's pending sums to the entry of its workload (v2, v1) and clears them. Other CPUs
 * write the same entry: every add is atomic. When the entry cannot be had (the map is full) the
 * sums are dropped, as a single switch's were before, and counted as CGROUPS_FULL.
 */
static __noinline void flush(__u64 v2, __u64 v1, struct pending *p)
{
	struct sched_cgroup_stats *c = cgroup_stats_of(v2, v1);
	int k;

	if (c) {
		if (p->oncpu_count) {
			__sync_fetch_and_add(&c->oncpu_ns, p->oncpu_ns);
			__sync_fetch_and_add(&c->oncpu_count, p->oncpu_count);
		}
		if (p->runq_max_ns > c->runq_max_ns)
			c->runq_max_ns = p->runq_max_ns;
		if (p->runq_ns)
			__sync_fetch_and_add(&c->runq_ns, p->runq_ns);
		for (k = 0; k < SCHED_OFF_KINDS; k++) {
			if (p->off_count[k]) {
				__sync_fetch_and_add(&c->off_ns[k], p->off_ns[k]);
				__sync_fetch_and_add(&c->off_count[k], p->off_count[k]);
			}
		}
		for (k = 0; k < SCHED_HIST_SLOTS; k++) {
			if (p->runq_hist[k])
				__sync_fetch_and_add(&c->runq_hist[k], p->runq_hist[k]);
			if (p->blocked_hist[k])
				__sync_fetch_and_add(&c->blocked_hist[k], p->blocked_hist[k]);
		}
	}
	__builtin_memset(p, 0, sizeof(*p));
}

/*
 * Flushes a task's pending sums when they are due: at FLUSH_EVERY records or FLUSH_NS of time, at
 * its last switch-out (TASK_DEAD), and at every switch of a followed process (whose numbers are
 * read against the kernel's own while it runs). Between flushes a switch writes only the task's
 * own storage. (A record is one slice or one episode: a run adds at most three.)
 */
static __always_inline void settle(struct task_info *i, struct task_state *s, struct pending *p)
{
	if (p->records && (p->records >= FLUSH_EVERY || p->time_ns >= FLUSH_NS ||
			   (i->state & TASK_DEAD) || is_followed(s, i->pid)))
		flush(i->cgroup_id, i->cgroup_v1_id, p);
}

static __always_inline struct sched_thread_stats *thread_stats_of(struct task_info *i)
{
	struct sched_thread_stats *t = bpf_map_lookup_elem(&thread_stats, &i->tid);
	struct sched_thread_stats fresh = { .pid = i->pid };

	if (t)
		return t;
	bpf_map_update_elem(&thread_stats, &i->tid, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&thread_stats, &i->tid);
}

static __always_inline void switch_in(struct task_info *i, struct task_state *s, struct pending *p,
				      __u64 now);

/*
 * prev is leaving a CPU we never saw it get: that switch was not traced (some hosts trace nothing
 * while their own agent's threads run, so a switch away from one of them is invisible). The
 * kernel's accounting says when it happened: the slice prev ran since it was picked. Its runqueue
 * wait, when no wakeup was seen either, is the growth of the kernel's run_delay since prev left.
 * The episode is then closed as the missed switch would have closed it.
 */
static __always_inline void rebuild_switch_in(struct task_info *i, struct task_state *s,
					      struct pending *p, __u64 now)
{
	__u64 floor = s->runnable_ts ? s->runnable_ts : s->offcpu_ts;
	__u64 on = now;

	count(SCHED_CNT_SWITCH_IN_MISSING);
	if (now > floor)
		on = i->slice_ns < now - floor ? now - i->slice_ns : floor;
	if (!s->runnable_ts) {
		__u64 runq = i->run_delay > s->run_delay ? i->run_delay - s->run_delay : 0;

		s->runnable_ts = on > s->offcpu_ts && runq < on - s->offcpu_ts ? on - runq : s->offcpu_ts;
	}
	s->rebuilt = 1;
	switch_in(i, s, p, on);
	s->rebuilt = 0;
	s->steal_in = STEAL_UNKNOWN; /* the CPU's steal at that moment is not known */
}

/*
 * prev leaves the CPU: close its on-CPU slice, open an off-CPU episode. i->slice_ns is read only
 * when s->offcpu_ts says the switch-in must be rebuilt (the caller's job).
 */
static __always_inline void switch_out(struct task_info *i, struct task_state *s, struct pending *p,
				       bool preempt, __u64 now)
{
	__u64 d;

	if (s->offcpu_ts)
		rebuild_switch_in(i, s, p, now);
	d = s->oncpu_ts ? now - s->oncpu_ts : 0;
	/* A running task stays on its CPU: the CPU's steal during the slice was taken from it. */
	s->steal_ns = s->oncpu_ts && s->steal_in != STEAL_UNKNOWN && i->cpu_steal > s->steal_in
			      ? i->cpu_steal - s->steal_in
			      : 0;

	s->kind = off_kind(preempt, i->state);
	if (s->oncpu_ts) {
		p->oncpu_ns += d;
		p->oncpu_count += 1;
		p->time_ns += d;
		p->records += 1;
	}
	if (is_followed(s, i->pid)) {
		struct sched_thread_stats *t = thread_stats_of(i);

		if (t) {
			t->oncpu_ns += d;
			t->oncpu_count += s->oncpu_ts ? 1 : 0;
			t->last_offcpu_ts = now;
			t->last_kind = s->kind;
		}
	}
	s->offcpu_ts = now;
	s->runnable_ts = s->kind == SCHED_OFF_PREEMPTED ? now : 0;
	s->run_delay = i->run_delay;
	s->waker_pid = 0;
	s->waker_tid = 0;
	s->oncpu_ts = 0;
}

static __always_inline void emit(struct task_info *i, struct task_state *s, __u64 now, bool follow)
{
	struct sched_event *e = reserve_event(sizeof(*e), SCHED_CNT_EVENTS_DROPPED);

	if (!e)
		return;
	e->cgroup_id = i->cgroup_id;
	e->cgroup_v1_id = i->cgroup_v1_id;
	e->offcpu_ts = s->offcpu_ts;
	e->runnable_ts = s->runnable_ts;
	e->oncpu_ts = now;
	e->steal_ns = s->steal_ns;
	e->pid = i->pid;
	e->tid = i->tid;
	e->waker_pid = s->waker_pid;
	e->waker_tid = s->waker_tid;
	e->kind = s->kind;
	e->flags = (follow ? SCHED_EVENT_FOLLOWED : 0) | (s->rebuilt ? SCHED_EVENT_REBUILT : 0);
	e->pad[0] = e->pad[1] = 0;
	e->cpu = bpf_get_smp_processor_id();
	submit_event(e, SCHED_CNT_EVENTS);
}

/* next gets the CPU: close its off-CPU episode, open an on-CPU slice. */
static __always_inline void switch_in(struct task_info *i, struct task_state *s, struct pending *p,
				      __u64 now)
{
	if (s->oncpu_ts && !s->offcpu_ts && is_followed(s, i->pid))
		count(SCHED_CNT_SWITCH_OUT_MISSING); /* it left unseen: that episode is lost */
	if (s->offcpu_ts && !s->runnable_ts) {
		/* It slept, and no wakeup reached us: keep the episode, all of it off-CPU. */
		count(SCHED_CNT_WAKEUP_MISSING);
		s->runnable_ts = now;
	}
	if (s->runnable_ts) {
		__u64 runq = now - s->runnable_ts;
		__u64 off = s->offcpu_ts ? s->runnable_ts - s->offcpu_ts : 0;
		bool follow = is_followed(s, i->pid);
		__u8 kind = s->kind & (SCHED_OFF_KINDS - 1);

		p->runq_hist[log2_slot(runq, SCHED_HIST_SLOTS)] += 1;
		p->runq_ns += runq;
		p->time_ns += runq;
		p->records += 1;
		if (runq > p->runq_max_ns)
			p->runq_max_ns = runq;
		if (s->offcpu_ts) {
			p->off_ns[kind] += off;
			p->off_count[kind] += 1;
			p->time_ns += off;
			if (kind == SCHED_OFF_BLOCKED)
				p->blocked_hist[log2_slot(off, SCHED_HIST_SLOTS)] += 1;
		}
		if (follow) {
			struct sched_thread_stats *t = thread_stats_of(i);

			if (t) {
				t->cgroup_id = i->cgroup_id;
				t->cgroup_v1_id = i->cgroup_v1_id;
				t->runq_ns += runq;
				t->runq_count += 1;
				t->last_oncpu_ts = now;
				if (s->offcpu_ts)
					t->off_ns[kind] += off;
			}
		}
		if (s->offcpu_ts && (runq >= min_event_ns || off >= min_event_ns || (follow && trace_followed)))
			emit(i, s, now, follow);
	}
	s->oncpu_ts = now;
	s->offcpu_ts = 0;
	s->runnable_ts = 0;
	s->steal_in = i->cpu_steal;
}

static __always_inline void woken(struct task_state *s)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 now = bpf_ktime_get_ns();

	/* The waker's CPU clock may trail the sleeper's by a little: never before the switch-out. */
	s->runnable_ts = now > s->offcpu_ts ? now : s->offcpu_ts;
	s->waker_pid = id >> 32;
	s->waker_tid = (__u32)id;
}

static __always_inline bool measured(struct task_info *i)
{
	return i->tid != 0 && i->pid != self_tgid;
}

/* ---- tp_btf variant ---- */

static __always_inline struct btf_state *state_btf(struct task_struct *t)
{
	struct btf_state *b = bpf_task_storage_get(&task_store, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (!b)
		count(SCHED_CNT_STATE_MISSING);
	return b;
}

/*
 * The task's cgroup ids, from the cache in its state unless its css_set changed since. A task's
 * css_set is replaced (never changed in place) when it moves, and it holds a reference on it, so
 * an unchanged pointer is the same cgroups. (The one blind spot: a task moved twice while off-CPU
 * onto a new css_set that reuses the address of the one cached; its ids are then stale until it
 * next moves.) Sums still pending for the old ids are flushed to them first.
 */
static __always_inline void cgroups_btf(struct task_struct *t, struct btf_state *b, struct task_info *i)
{
	struct css_set *cs = t->cgroups;

	if ((__u64)cs != b->cgroups) {
		if (b->p.records) /* what it did before it moved belongs to where it was */
			flush(b->cgroup_id, b->cgroup_v1_id, &b->p);
		read_cgroups_btf(cs, i);
		b->cgroup_id = i->cgroup_id;
		b->cgroup_v1_id = i->cgroup_v1_id;
		b->cgroups = (__u64)cs;
		return;
	}
	i->cgroup_id = b->cgroup_id;
	i->cgroup_v1_id = b->cgroup_v1_id;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct task_info i;
	struct btf_state *b;

	i.cpu_steal = cpu_steal_btf(prev); /* this CPU's: kept for next */
	read_task_btf(prev, &i);
	if (measured(&i) && (b = state_btf(prev))) {
		cgroups_btf(prev, b, &i);
		read_slice_btf(prev, &i, b->s.offcpu_ts != 0);
		switch_out(&i, &b->s, &b->p, preempt, now);
		settle(&i, &b->s, &b->p);
	}
	read_task_btf(next, &i);
	if (measured(&i) && (b = state_btf(next))) {
		cgroups_btf(next, b, &i);
		switch_in(&i, &b->s, &b->p, now);
		settle(&i, &b->s, &b->p);
	}
	return 0;
}

static __always_inline int wakeup_btf(struct task_struct *p)
{
	struct task_info i;
	struct btf_state *b;

	i.tid = p->pid;
	i.pid = p->tgid;
	if (measured(&i) && (b = state_btf(p)))
		woken(&b->s);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup_btf, struct task_struct *p)
{
	return wakeup_btf(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_btf, struct task_struct *p)
{
	return wakeup_btf(p);
}

/*
 * Cleanup when a task is freed: after its last context switch, so nothing re-creates its entries.
 * A group leader is freed only after every other thread of its process, so its free ends the
 * process: stop following it.
 */
static __always_inline void forget(__u32 tid, __u32 pid)
{
	bpf_map_delete_elem(&thread_stats, &tid);
	if (tid == pid)
		bpf_map_delete_elem(&followed, &pid);
}

SEC("tp_btf/sched_process_free")
int BPF_PROG(sched_free_btf, struct task_struct *p)
{
	struct btf_state *b = bpf_task_storage_get(&task_store, p, 0, 0);

	/* Normally flushed at its last switch-out; this catches a task whose last switch went unseen. */
	if (b && b->p.records)
		flush(b->cgroup_id, b->cgroup_v1_id, &b->p);
	forget(p->pid, p->tgid);
	return 0;
}

/* ---- raw_tp variant ---- */

SEC("raw_tp/sched_switch")
int BPF_PROG(sched_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct task_info i;
	struct task_state *s;
	struct pending *p;
	__u32 zero = 0;

	/* No per-task storage to keep sums in: each task's are flushed at once (flush clears them). */
	p = bpf_map_lookup_elem(&raw_pending, &zero);
	if (!p)
		return 0;
	i.cpu_steal = cpu_steal_core(prev); /* this CPU's: kept for next */
	read_task_core(prev, &i);
	if (measured(&i) && (s = state_by_tid(i.tid))) {
		read_slice_core(prev, &i, s->offcpu_ts != 0);
		switch_out(&i, s, p, preempt, now);
		if (p->records)
			flush(i.cgroup_id, i.cgroup_v1_id, p);
	}
	read_task_core(next, &i);
	if (measured(&i) && (s = state_by_tid(i.tid))) {
		switch_in(&i, s, p, now);
		if (p->records)
			flush(i.cgroup_id, i.cgroup_v1_id, p);
	}
	return 0;
}

static __always_inline int wakeup_raw(struct task_struct *p)
{
	struct task_info i;
	struct task_state *s;

	i.tid = BPF_CORE_READ(p, pid);
	i.pid = BPF_CORE_READ(p, tgid);
	if (measured(&i) && (s = state_by_tid(i.tid)))
		woken(s);
	return 0;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(sched_wakeup_raw, struct task_struct *p)
{
	return wakeup_raw(p);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new_raw, struct task_struct *p)
{
	return wakeup_raw(p);
}

SEC("raw_tp/sched_process_free")
int BPF_PROG(sched_free_raw, struct task_struct *p)
{
	__u32 tid = BPF_CORE_READ(p, pid), pid = BPF_CORE_READ(p, tgid);

	forget(tid, pid);
	bpf_map_delete_elem(&task_by_tid, &tid);
	return 0;
}
