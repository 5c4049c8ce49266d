// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CPU-profile probe: on-CPU samples and off-CPU stacks.
 *
 * profile_sample runs on a software CPU-clock perf event of every CPU (the
 * loader opens them at the configured frequency). Each sample of a task
 * other than the idle task and the agent becomes a ring-buffer event with
 * its time, cgroup, pid, tid and the ids of its user and kernel stacks in a
 * stack trace map: identical stacks share one id, so the kernel keeps each
 * distinct stack once and the event stays 48 bytes. The rate is bounded by
 * design: frequency x CPUs.
 *
 * The stack maps are double-buffered: stacks_0 and stacks_1, the one of the
 * generation in `stack_gen` (even: stacks_0) taking new stacks, its number
 * written into each event. User space reads stacks from both, and to empty
 * one it first moves the generation on, then waits until the ring is drained
 * past that moment: the event is reserved before the generation is read, so
 * every event that named the old map is in user space by then, and no
 * program writes into it any more. So no event's stack is freed under it,
 * and a stack id never names another generation's stack.
 *
 * offcpu_switch takes, for followed threads (the scheduler probe's
 * `followed` map, reused by fd) that leave a CPU voluntarily, both stacks at
 * the switch-out (bpf_get_stack, into per-task state: not the stack map,
 * which the many short episodes would fill); the switch-in that ends an
 * episode of at least min_offcpu_ns sends them inline with its length.
 * Two variants, picked at load time by feature probe: tp_btf + task-local
 * storage, raw_tp + an LRU hash keyed by tid.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

#define EEXIST 17
#define EFAULT 14 /* no such stack (user mode: no kernel stack; kthreads: no user stack) */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile __u32 self_tgid = 0;          /* the agent: never sampled */
const volatile __u64 min_offcpu_ns = 1000000; /* off-CPU episodes at least this long are sent */

/* Stacks by id, one map per generation parity; sizes set by the loader (profile.max-stacks). */
struct stack_map {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__uint(value_size, PROFILE_STACK_DEPTH * sizeof(__u64));
};

struct stack_map stacks_0 SEC(".maps");
struct stack_map stacks_1 SEC(".maps");

/* The generation new stacks go to; written by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} stack_gen SEC(".maps");

/* Per-task off-CPU state, never seen by user space. */
struct off_state {
	__u64 off_ts; /* left the CPU voluntarily with stacks taken (0: not) */
	__s32 user_len; /* bytes of user[] bpf_get_stack wrote (negative: -errno) */
	__s32 kernel_len;
	__u32 follow_gen; /* follow_generation when `followed` was looked up (0: never) */
	__u8 followed;
	__u8 state;
	__u8 pad[2];
	__u64 user[PROFILE_STACK_DEPTH];
	__u64 kernel[PROFILE_STACK_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct off_state);
} off_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct off_state);
} off_by_tid SEC(".maps");

/* All zeros, never written: the source for new off_by_tid entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct off_state);
} zero_state SEC(".maps");

#include "follow.h"

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS PROFILE_COUNTERS
#define PROBE_RING_BYTES (1 << 20)
#include "probe.h"

/* What an off-CPU record in the ring is. */
struct offcpu_record {
	struct profile_event head;
	struct profile_stacks stacks;
};

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct profile_event *unused_event __attribute__((unused));
struct profile_stacks *unused_stacks __attribute__((unused));
struct offcpu_record *unused_record __attribute__((unused));
enum profile_kind unused_kind __attribute__((unused));
enum profile_counter unused_counter __attribute__((unused));
enum profile_limits unused_limits __attribute__((unused));
enum profile_flag unused_flag __attribute__((unused));

/* A stack id in generation gen's map, or -errno: collisions and failures other than "no such
 * stack" counted. */
static __always_inline __s32 stack_id(void *ctx, __u32 gen, __u64 flags)
{
	long id;

	if (gen & 1)
		id = bpf_get_stackid(ctx, &stacks_1, flags);
	else
		id = bpf_get_stackid(ctx, &stacks_0, flags);

	if (id == -EEXIST)
		count(PROFILE_CNT_STACK_COLLISIONS);
	else if (id < 0 && id != -EFAULT)
		count(PROFILE_CNT_STACK_ERRORS);
	return (__s32)id;
}

SEC("perf_event")
int profile_sample(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32, tid = (__u32)id;
	struct profile_event *e;
	__u32 zero = 0, *gen, g;

	if (tid == 0 || pid == self_tgid) {
		count(PROFILE_CNT_IDLE);
		return 0;
	}
	e = reserve_event(sizeof(*e), PROFILE_CNT_EVENTS_DROPPED);
	if (!e)
		return 0;
	/* After the reserve: user space empties a map only once the ring is drained past the
	 * moment it moved the generation on, which then includes this event. */
	gen = bpf_map_lookup_elem(&stack_gen, &zero);
	g = gen ? *(volatile __u32 *)gen : 0;
	e->ts = bpf_ktime_get_ns();
	e->off_ns = 0;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = pid;
	e->tid = tid;
	e->user_stack = stack_id(ctx, g, BPF_F_USER_STACK);
	e->kernel_stack = stack_id(ctx, g, 0);
	e->kind = PROFILE_ON_CPU;
	e->flags = bpf_map_lookup_elem(&followed, &pid) ? PROFILE_FLAG_FOLLOWED : 0;
	e->state = 0;
	e->cpu = (__u8)bpf_get_smp_processor_id();
	e->stack_gen = g;
	submit_event(e, PROFILE_CNT_SAMPLES);
	return 0;
}

static __always_inline bool is_followed(struct off_state *s, __u32 pid)
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

/* prev (the current task) leaves voluntarily: take its stacks. */
static __always_inline void take_stacks(void *ctx, struct off_state *s, long state, __u64 now)
{
	s->off_ts = now;
	s->state = state & 3;
	s->user_len = bpf_get_stack(ctx, s->user, sizeof(s->user), BPF_F_USER_STACK);
	s->kernel_len = bpf_get_stack(ctx, s->kernel, sizeof(s->kernel), 0);
	count(PROFILE_CNT_SWITCH_OUTS);
}

/* next gets the CPU: send its episode when it was long enough. */
static __always_inline void end_episode(struct off_state *s, __u32 pid, __u32 tid, __u64 cgroup,
					__u64 now)
{
	struct offcpu_record *o;
	struct profile_event *e;
	__u64 d = now - s->off_ts;
	__s32 ulen = s->user_len, klen = s->kernel_len;

	s->off_ts = 0;
	if (d < min_offcpu_ns)
		return;
	o = reserve_event(sizeof(*o), PROFILE_CNT_EVENTS_DROPPED);
	if (!o)
		return;
	e = &o->head;
	e->ts = now;
	e->off_ns = d;
	e->cgroup_id = cgroup;
	e->pid = pid;
	e->tid = tid;
	e->user_stack = ulen > 0 ? (__u32)ulen / 8 : 0;
	e->kernel_stack = klen > 0 ? (__u32)klen / 8 : 0;
	e->kind = PROFILE_OFF_CPU;
	e->flags = PROFILE_FLAG_FOLLOWED | PROFILE_FLAG_INLINE;
	e->state = s->state;
	e->cpu = (__u8)bpf_get_smp_processor_id();
	e->stack_gen = 0;
	bpf_probe_read_kernel(o->stacks.user, sizeof(o->stacks.user), s->user);
	bpf_probe_read_kernel(o->stacks.kernel, sizeof(o->stacks.kernel), s->kernel);
	submit_event(o, PROFILE_CNT_OFFCPU);
}

static __always_inline long state_btf(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return t->state;
}

/* ---- tp_btf variant ---- */

SEC("tp_btf/sched_switch")
int BPF_PROG(offcpu_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct off_state *s;
	long state = state_btf(prev);
	__u32 pid = prev->tgid;

	if (!preempt && state != 0 && prev->pid != 0 && pid != self_tgid) {
		s = bpf_task_storage_get(&off_store, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!s)
			count(PROFILE_CNT_STATE_MISSING);
		else if (is_followed(s, pid))
			take_stacks(ctx, s, state, now);
	}
	s = bpf_task_storage_get(&off_store, next, 0, 0);
	if (s && s->off_ts)
		end_episode(s, next->tgid, next->pid, next->cgroups->dfl_cgrp->kn->id, now);
	return 0;
}

/* ---- raw_tp variant ---- */

SEC("raw_tp/sched_switch")
int BPF_PROG(offcpu_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	struct off_state *s, *fresh;
	__u32 zero = 0;
	long state;
	__u32 pid = BPF_CORE_READ(prev, tgid), tid = BPF_CORE_READ(prev, pid);

	if (bpf_core_field_exists(prev->__state))
		state = BPF_CORE_READ(prev, __state);
	else
		state = BPF_CORE_READ(prev, state);
	if (!preempt && state != 0 && tid != 0 && pid != self_tgid &&
	    bpf_map_lookup_elem(&followed, &pid)) {
		s = bpf_map_lookup_elem(&off_by_tid, &tid);
		if (!s && (fresh = bpf_map_lookup_elem(&zero_state, &zero))) {
			bpf_map_update_elem(&off_by_tid, &tid, fresh, BPF_NOEXIST);
			s = bpf_map_lookup_elem(&off_by_tid, &tid);
		}
		if (!s)
			count(PROFILE_CNT_STATE_MISSING);
		else
			take_stacks(ctx, s, state, now);
	}
	tid = BPF_CORE_READ(next, pid);
	s = bpf_map_lookup_elem(&off_by_tid, &tid);
	if (s && s->off_ts)
		end_episode(s, BPF_CORE_READ(next, tgid), tid,
			    BPF_CORE_READ(next, cgroups, dfl_cgrp, kn, id), now);
	return 0;
}
