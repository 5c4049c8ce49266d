/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the scheduler probe reads of a task at each event, in two ways: direct loads through BTF
 * pointers (tp_btf) and bpf_probe_read_kernel (raw_tp). Only sched.bpf.c includes it.
 */
#ifndef AIPROF_SCHED_TASK_H
#define AIPROF_SCHED_TASK_H

/* What the handlers need of a task, read once per event. */
struct task_info {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 slice_ns;  /* prev only: on-CPU time since it was picked, by the kernel's accounting */
	__u64 run_delay; /* prev only: cumulative runqueue wait, by the kernel's accounting (0: none) */
	__u64 cpu_steal; /* this CPU's cumulative steal now */
	__u32 pid;
	__u32 tid;
	long state;
};

/* TASK_* bits as the scheduler reports them (stable since 2.6). */
#define TASK_INTERRUPTIBLE 0x1
#define TASK_UNINTERRUPTIBLE 0x2
#define TASK_DEAD 0x80 /* leaving its CPU for the last time */
#define TASK_NOLOAD 0x400

static __always_inline __u8 off_kind(bool preempt, long state)
{
	if (preempt || state == 0)
		return SCHED_OFF_PREEMPTED;
	if (state & TASK_INTERRUPTIBLE)
		return SCHED_OFF_SLEEP;
	if (state & TASK_UNINTERRUPTIBLE)
		return (state & TASK_NOLOAD) ? SCHED_OFF_SLEEP : SCHED_OFF_BLOCKED;
	return SCHED_OFF_OTHER;
}

/* Direct reads through BTF pointers (tp_btf): plain loads, no helper calls. */
static __always_inline void read_task_btf(struct task_struct *t, struct task_info *i)
{
	i->pid = t->tgid;
	i->tid = t->pid;
	if (bpf_core_field_exists(t->__state))
		i->state = t->__state;
	else
		i->state = t->state;
}

/* The cgroup v2 id and v1 memory-cgroup id of a task's css_set (sched.bpf.c caches them). */
static __always_inline void read_cgroups_btf(struct css_set *cs, struct task_info *i)
{
	i->cgroup_id = cs->dfl_cgrp->kn->id;
	i->cgroup_v1_id = 0;
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		struct cgroup_subsys_state *css =
			cs->subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)];
		if (css)
			i->cgroup_v1_id = css->cgroup->kn->id;
	}
}

/*
 * The CPU's cumulative steal (time the hypervisor ran something else on this vCPU) as the
 * scheduler last took it out of the runqueue clock, which it does in __schedule before the switch
 * tracepoint: exact at every switch. Reached through prev, which is running on this CPU (every
 * task's se.cfs_rq is on its CPU, the idle task's too). 0 where the kernel does not account steal
 * or has no group scheduling.
 */
#define STEAL_UNKNOWN (~0ULL)

static __always_inline __u64 cpu_steal_btf(struct task_struct *prev)
{
	struct cfs_rq *cfs;

	if (!bpf_core_field_exists(((struct rq *)0)->prev_steal_time_rq) ||
	    !bpf_core_field_exists(((struct cfs_rq *)0)->rq) ||
	    !bpf_core_field_exists(prev->se.cfs_rq))
		return 0;
	cfs = prev->se.cfs_rq;
	if (!cfs || !cfs->rq)
		return 0;
	return cfs->rq->prev_steal_time_rq;
}

static __always_inline __u64 cpu_steal_core(struct task_struct *prev)
{
	if (!bpf_core_field_exists(((struct rq *)0)->prev_steal_time_rq) ||
	    !bpf_core_field_exists(((struct cfs_rq *)0)->rq) ||
	    !bpf_core_field_exists(prev->se.cfs_rq))
		return 0;
	return BPF_CORE_READ(prev, se.cfs_rq, rq, prev_steal_time_rq);
}

/*
 * What the kernel accounted for prev, which is leaving: the slice it ran since it was picked
 * (update_curr has run before the tracepoint; fair-class tasks only, others give nonsense that
 * rebuild_switch_in clamps), read only when `slice` says a switch-in must be rebuilt, and its
 * cumulative runqueue wait (CONFIG_SCHED_INFO, else 0).
 */
static __always_inline void read_slice_btf(struct task_struct *t, struct task_info *i, bool slice)
{
	i->slice_ns = slice ? t->se.sum_exec_runtime - t->se.prev_sum_exec_runtime : 0;
	i->run_delay = 0;
	if (bpf_core_field_exists(t->sched_info))
		i->run_delay = t->sched_info.run_delay;
}

/* The same reads through bpf_probe_read_kernel (raw_tp). */
static __always_inline void read_task_core(struct task_struct *t, struct task_info *i)
{
	i->pid = BPF_CORE_READ(t, tgid);
	i->tid = BPF_CORE_READ(t, pid);
	if (bpf_core_field_exists(t->__state))
		i->state = BPF_CORE_READ(t, __state);
	else
		i->state = BPF_CORE_READ(t, state);
	i->cgroup_id = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn, id);
	i->cgroup_v1_id = 0;
	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		struct cgroup_subsys_state *css = BPF_CORE_READ(
			t, cgroups, subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)]);
		if (css)
			i->cgroup_v1_id = BPF_CORE_READ(css, cgroup, kn, id);
	}
}

static __always_inline void read_slice_core(struct task_struct *t, struct task_info *i, bool slice)
{
	i->slice_ns = slice ? BPF_CORE_READ(t, se.sum_exec_runtime) - BPF_CORE_READ(t, se.prev_sum_exec_runtime)
			    : 0;
	i->run_delay = 0;
	if (bpf_core_field_exists(t->sched_info))
		i->run_delay = BPF_CORE_READ(t, sched_info.run_delay);
}

#endif /* AIPROF_SCHED_TASK_H */
