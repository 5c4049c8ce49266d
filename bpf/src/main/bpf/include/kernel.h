/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few kernel types aiprof's programs touch, declared by hand instead of a
 * full vmlinux.h. Every struct carries preserve_access_index, so libbpf
 * relocates each field access against the running kernel's BTF (CO-RE): the
 * layouts below need only the right field names and types, not the right
 * offsets. Add a field here only when a program reads it.
 */
#ifndef AIPROF_KERNEL_H
#define AIPROF_KERNEL_H

/* Tells bpf_tracing.h to use the kernel's pt_regs field names (ax, di...), declared below. */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
typedef int pid_t;
typedef __u32 u32;
typedef __u64 u64;

enum {
	false = 0,
	true = 1,
};

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

enum {
	BPF_F_NO_PREALLOC = 1,
	BPF_F_MMAPABLE = 1 << 10,
};

enum {
	BPF_LOCAL_STORAGE_GET_F_CREATE = 1,
};

enum {
	BPF_F_USER_STACK = 1 << 8, /* bpf_get_stackid: the user stack, not the kernel's */
};

enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
};

enum {
	BPF_RB_AVAIL_DATA = 0,
};

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di;
	unsigned long orig_ax, ip, cs, flags, sp, ss;
};

struct kernfs_node {
	__u64 id;
};

struct cgroup_root {
	int hierarchy_id; /* 0: the cgroup v2 (default) hierarchy */
};

struct cgroup {
	struct kernfs_node *kn;
	struct cgroup_root *root;
};

struct cgroup_subsys_state {
	struct cgroup *cgroup;
};

struct css_set {
	struct cgroup_subsys_state *subsys[12];
	struct cgroup *dfl_cgrp;
};

struct sched_entity {
	struct cfs_rq *cfs_rq; /* CONFIG_FAIR_GROUP_SCHED: set for every task, on its CPU */
	__u64 sum_exec_runtime;
	__u64 prev_sum_exec_runtime; /* sum_exec_runtime when the task was last picked */
};

struct sched_info { /* CONFIG_SCHED_INFO */
	unsigned long long run_delay; /* cumulative time waiting on a runqueue */
};

struct rq { /* the per-CPU runqueue */
	__u64 prev_steal_time_rq; /* CONFIG_PARAVIRT_TIME_ACCOUNTING: steal left out of its clock */
};

struct cfs_rq {
	struct rq *rq; /* CONFIG_FAIR_GROUP_SCHED: the CPU's runqueue it belongs to */
};

struct task_struct {
	unsigned int flags;   /* PF_* */
	unsigned int __state; /* 5.14+ */
	long state;           /* before 5.14 */
	pid_t pid;
	pid_t tgid;
	unsigned int policy;
	struct css_set *cgroups;
	struct sched_entity se;
	struct sched_info sched_info;
};

struct blkcg {
	struct cgroup_subsys_state css;
};

struct blkcg_gq { /* CONFIG_BLK_CGROUP */
	struct blkcg *blkcg;
};

struct bio {
	struct blkcg_gq *bi_blkg; /* CONFIG_BLK_CGROUP */
};

struct gendisk {
	int major;
	int first_minor;
};

struct request_queue {
	struct gendisk *disk; /* 5.16+ */
};

struct request {
	struct request_queue *q;
	unsigned int cmd_flags; /* blk_opf_t: REQ_OP_* in the low 8 bits, then enum req_flag_bits */
	unsigned int __data_len;
	struct bio *bio;
	struct gendisk *rq_disk; /* before 5.16 */
};

#pragma clang attribute pop

enum req_flag_bits {
	__REQ_RAHEAD = 19, /* the value is relocated against the running kernel's BTF */
};

enum cgroup_subsys_id {
	memory_cgrp_id = 4,
};

#endif /* AIPROF_KERNEL_H */
