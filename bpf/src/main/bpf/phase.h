/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The phase probe's ABI: every struct and constant that crosses between
 * phase.bpf.c and the Java side lives here, and only here. The Java mirror in
 * dev.aiprof.bpf.phase is tested against this file's BTF (PhaseLayoutTest).
 */
#ifndef AIPROF_PHASE_H
#define AIPROF_PHASE_H

enum phase_limits {
	/* Bytes of a phase name kept, with its NUL (AIPROF_NAME_MAX of aiprof.h). */
	PHASE_NAME_LEN = 64,
	/* Length of the per-CPU counters array. */
	PHASE_COUNTERS = 4,
};

/* Which marker call an event records. */
enum phase_kind {
	PHASE_BEGIN = 0, /* aiprof_phase_begin / an NVTX range push: carries the name */
	PHASE_END = 1,   /* aiprof_phase_end / an NVTX range pop */
};

/* Which API the call came through: the attach cookie of the uprobe that fired. */
enum phase_origin {
	PHASE_ORIGIN_MARKER = 0, /* aiprof_phase_begin / aiprof_phase_end */
	PHASE_ORIGIN_NVTX = 1,   /* NVTX ranges routed by libaiprof.so's injection */
	PHASE_ORIGINS = 2,
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum phase_counter {
	PHASE_CNT_EVENTS = 0,         /* events submitted to the ring buffer */
	PHASE_CNT_EVENTS_DROPPED = 1, /* ring buffer full: event not sent */
	PHASE_CNT_FOLLOWED = 2,       /* processes added to the scheduler probe's `followed` */
	PHASE_CNT_FOLLOW_FULL = 3,    /* `followed` could not take a process */
};

/* One marker call, stamped with the kernel's monotonic clock at the uprobe. */
struct phase_event {
	__u64 ts;
	__u32 pid;
	__u32 tid;
	__u8 kind;   /* enum phase_kind */
	__u8 origin; /* enum phase_origin */
	__u8 pad[6];
	char name[PHASE_NAME_LEN]; /* NUL-terminated, empty for PHASE_END or an unreadable name */
};

#endif /* AIPROF_PHASE_H */
