/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CPU-profile probe's ABI: every struct and constant that crosses between profile.bpf.c and
 * the Java side lives here, and only here. The Java mirror in dev.aiprof.bpf.profile is tested
 * against this file's BTF (ProfileLayoutTest).
 */
#ifndef AIPROF_PROFILE_H
#define AIPROF_PROFILE_H

enum profile_limits {
	/* Frames kept of a stack, innermost first (deeper stacks lose their outermost frames). */
	PROFILE_STACK_DEPTH = 64,
	/* Length of the per-CPU counters array. */
	PROFILE_COUNTERS = 8,
};

/* What an event records. */
enum profile_kind {
	PROFILE_ON_CPU = 0,  /* a CPU-clock sample of a running task */
	PROFILE_OFF_CPU = 1, /* an off-CPU episode at least min_offcpu_ns long, ended by this switch-in */
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum profile_counter {
	PROFILE_CNT_SAMPLES = 0,          /* on-CPU samples sent */
	PROFILE_CNT_EVENTS_DROPPED = 1,   /* ring buffer full: event not sent */
	PROFILE_CNT_STACK_COLLISIONS = 2, /* bpf_get_stackid: another stack holds the bucket (EEXIST) */
	PROFILE_CNT_STACK_ERRORS = 3,     /* bpf_get_stackid failed otherwise than EFAULT (no stack) */
	PROFILE_CNT_OFFCPU = 4,           /* off-CPU episodes sent */
	PROFILE_CNT_SWITCH_OUTS = 5,      /* voluntary switch-outs of followed threads, stack taken */
	PROFILE_CNT_STATE_MISSING = 6,    /* per-task state could not be had */
	PROFILE_CNT_IDLE = 7,             /* samples of the idle task or the agent: not sent */
};

/* Event flags. */
enum profile_flag {
	PROFILE_FLAG_FOLLOWED = 1, /* the task's process is in the scheduler probe's `followed` */
	PROFILE_FLAG_INLINE = 2,   /* profile_stacks follow; the stack ids are frame counts */
};

/*
 * One on-CPU sample or one long off-CPU episode. Stack ids index the stack map of generation
 * stack_gen (stacks_0 when even, stacks_1 when odd); a negative id is -errno of bpf_get_stackid
 * (-EFAULT: no user stack, a kernel thread; -EEXIST: collision). With PROFILE_FLAG_INLINE
 * (off-CPU) they are the frame counts of the stacks that follow.
 */
struct profile_event {
	__u64 ts;        /* on-CPU: the sample; off-CPU: the switch-in that ended the episode */
	__u64 off_ns;    /* off-CPU: how long the task was off the CPU; on-CPU: 0 */
	__u64 cgroup_id; /* cgroup v2 id of the task */
	__u32 pid;       /* tgid */
	__u32 tid;
	__s32 user_stack;
	__s32 kernel_stack;
	__u8 kind;  /* enum profile_kind */
	__u8 flags; /* enum profile_flag bits */
	__u8 state; /* off-CPU: the task state bits it left in (1 sleep, 2 blocked); on-CPU: 0 */
	__u8 cpu;   /* the CPU (mod 256) */
	__u32 stack_gen; /* on-CPU: the generation whose stack map holds the stacks; off-CPU: 0 */
};

/*
 * The stacks of a long off-CPU episode, right after its profile_event in the ring (flag
 * PROFILE_FLAG_INLINE): taken with bpf_get_stack at every voluntary switch-out of a followed
 * thread into per-task state, which a stack map could not take (most episodes are short and never
 * sent, and their stacks would fill it). Unused slots are zero.
 */
struct profile_stacks {
	__u64 user[PROFILE_STACK_DEPTH];
	__u64 kernel[PROFILE_STACK_DEPTH];
};

#endif /* AIPROF_PROFILE_H */
