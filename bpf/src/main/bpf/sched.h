/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The scheduler probe's ABI: every struct and constant that crosses between
 * sched.bpf.c and the Java side lives here, and only here. The Java layouts in
 * dev.aiprof.bpf.sched are tested against this file's BTF (SchedLayoutTest).
 */
#ifndef AIPROF_SCHED_H
#define AIPROF_SCHED_H

enum sched_limits {
	/* log2 histogram of nanoseconds: slot i counts [2^i, 2^(i+1)) ns, the last slot is open. */
	SCHED_HIST_SLOTS = 40,
	/* Length of the per-CPU counters array. */
	SCHED_COUNTERS = 7,
};

/* What a thread was doing between leaving a CPU and becoming runnable again. */
enum sched_off_kind {
	SCHED_OFF_PREEMPTED = 0, /* switched out while runnable: the whole gap is runqueue wait */
	SCHED_OFF_SLEEP = 1,     /* interruptible sleep (S) or idle wait (I) */
	SCHED_OFF_BLOCKED = 2,   /* uninterruptible sleep (D): usually disk or page-fault I/O */
	SCHED_OFF_OTHER = 3,     /* stopped, traced, parked, dead */
	SCHED_OFF_KINDS = 4,
};

/* Bits of sched_event.flags. */
enum sched_event_flag {
	SCHED_EVENT_FOLLOWED = 1, /* the thread's process is followed: every episode is reported */
	SCHED_EVENT_REBUILT = 2,  /* its switch-in was not traced: oncpu_ts comes from the kernel's accounting */
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum sched_counter {
	SCHED_CNT_EVENTS = 0,         /* events submitted to the ring buffer */
	SCHED_CNT_EVENTS_DROPPED = 1, /* ring buffer full: event not sent */
	SCHED_CNT_CGROUPS_FULL = 2,   /* cgroup_stats could not take a new cgroup */
	SCHED_CNT_STATE_MISSING = 3,  /* no per-task state (storage or map full) */
	SCHED_CNT_WAKEUP_MISSING = 4, /* a sleeper got a CPU back with no wakeup seen */
	SCHED_CNT_SWITCH_IN_MISSING = 5, /* a thread left a CPU it got with no switch seen: rebuilt */
	SCHED_CNT_SWITCH_OUT_MISSING = 6, /* a followed thread got a CPU it had left unseen */
};

/* Workload identity the kernel side can see: cgroup v2 id and v1 memory-cgroup id (0 if none). */
struct sched_cgroup_key {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
};

/* Cumulative per-cgroup scheduler statistics (values of `cgroup_stats`). */
struct sched_cgroup_stats {
	__u64 runq_hist[SCHED_HIST_SLOTS];    /* runqueue latency, log2 ns */
	__u64 blocked_hist[SCHED_HIST_SLOTS]; /* uninterruptible (D) sleeps, log2 ns */
	__u64 runq_ns;                        /* total runqueue wait */
	__u64 runq_max_ns;                    /* longest single wait (racy across CPUs) */
	__u64 oncpu_ns;                       /* total on-CPU time */
	__u64 oncpu_count;                    /* on-CPU slices ended (context switches out) */
	__u64 off_ns[SCHED_OFF_KINDS];        /* off-CPU time before becoming runnable, by kind */
	__u64 off_count[SCHED_OFF_KINDS];     /* off-CPU episodes by kind */
};

/*
 * Cumulative statistics of one followed thread (values of `thread_stats`, key: tid), and its
 * latest switches: when last_offcpu_ts > last_oncpu_ts the thread is off-CPU right now (an
 * episode no event has reported yet), in state last_kind.
 */
struct sched_thread_stats {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 runq_ns;
	__u64 runq_count;
	__u64 oncpu_ns;
	__u64 oncpu_count;
	__u64 off_ns[SCHED_OFF_KINDS];
	__u64 last_offcpu_ts;
	__u64 last_oncpu_ts;
	__u32 pid;
	__u8 last_kind; /* enum sched_off_kind */
	__u8 pad[3];
};

/*
 * One off-CPU episode of a thread: it left the CPU at offcpu_ts, became
 * runnable at runnable_ts (woken, or at once when preempted) and got a CPU
 * again at oncpu_ts. Sent when either gap reaches min_event_ns, and for every
 * episode of a followed process when trace_followed is set.
 */
struct sched_event {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 offcpu_ts;
	__u64 runnable_ts;
	__u64 oncpu_ts;
	__u64 steal_ns;  /* of the on-CPU slice that ended at offcpu_ts, the time the kernel's task
			    clock did not run: the hypervisor's steal (and IRQ time where it is accounted) */
	__u32 pid;
	__u32 tid;
	__u32 waker_pid; /* task running the wakeup (0: none, preempted, or the idle task/an interrupt) */
	__u32 waker_tid;
	__u8 kind;       /* enum sched_off_kind */
	__u8 flags;      /* enum sched_event_flag */
	__u8 pad[2];
	__u32 cpu;
};

#endif /* AIPROF_SCHED_H */
