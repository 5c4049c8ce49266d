/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The followed-process maps, declared once. sched.bpf.c owns them; probes that follow processes
 * from inside the kernel (phase.bpf.c) reuse the scheduler probe's maps by fd, which needs the
 * same definitions.
 */
#ifndef AIPROF_FOLLOW_H
#define AIPROF_FOLLOW_H

/* Processes (tgid) whose threads get per-thread stats and, with trace_followed, every episode. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

/*
 * Bumped after every change to `followed`: tasks re-check their cached flag. Programs bump it with
 * an atomic add; user space maps it (BPF_F_MMAPABLE) and bumps it with an atomic add on the same
 * page, so no bump of either side is lost.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} follow_generation SEC(".maps");

#endif /* AIPROF_FOLLOW_H */
