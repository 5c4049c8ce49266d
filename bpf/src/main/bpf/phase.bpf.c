// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Phase probe: uprobes on libaiprof.so's marker functions. phase_begin is
 * attached to aiprof_phase_begin and aiprof_nvtx_push, phase_end to
 * aiprof_phase_end and aiprof_nvtx_pop; the attach cookie says which
 * (enum phase_origin). Each call becomes a ring-buffer event with a kernel
 * timestamp, pid, tid and, for a begin, the name.
 *
 * With follow set, the calling process is added to the scheduler probe's
 * `followed` map (the loader makes this object reuse that map and
 * `follow_generation`), so per-thread scheduler statistics start at the
 * process's first marker call, without a round trip through user space.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "phase.h"

#define EEXIST 17 /* errno of an insert with BPF_NOEXIST that found the key */

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile bool follow = false; /* add callers to `followed` (maps are the sched probe's) */

/* The scheduler probe's maps, reused by fd when it runs. */
#include "follow.h"

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS PHASE_COUNTERS
#define PROBE_RING_BYTES (1 << 20)
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct phase_event *unused_event __attribute__((unused));
enum phase_kind unused_kind __attribute__((unused));
enum phase_origin unused_origin __attribute__((unused));
enum phase_counter unused_counter __attribute__((unused));
enum phase_limits unused_limits __attribute__((unused));

/* Adds the process to `followed` once; the one call that added it bumps the generation. */
static __always_inline void follow_process(__u32 tgid)
{
	__u32 zero = 0, *gen;
	__u8 one = 1;
	long err;

	if (bpf_map_lookup_elem(&followed, &tgid))
		return;
	err = bpf_map_update_elem(&followed, &tgid, &one, BPF_NOEXIST);
	if (err) {
		if (err != -EEXIST)
			count(PHASE_CNT_FOLLOW_FULL);
		return;
	}
	gen = bpf_map_lookup_elem(&follow_generation, &zero);
	if (gen)
		__sync_fetch_and_add(gen, 1);
	count(PHASE_CNT_FOLLOWED);
}

static __always_inline int record(struct pt_regs *ctx, __u8 kind, const char *name)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 id = bpf_get_current_pid_tgid();
	struct phase_event *e;

	if (follow)
		follow_process(id >> 32);
	e = reserve_event(sizeof(*e), PHASE_CNT_EVENTS_DROPPED);
	if (!e)
		return 0;
	e->ts = now;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->kind = kind;
	e->origin = (__u8)bpf_get_attach_cookie(ctx);
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	e->name[0] = '\0';
	if (name && bpf_probe_read_user_str(e->name, sizeof(e->name), name) < 0)
		e->name[0] = '\0';
	submit_event(e, PHASE_CNT_EVENTS);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(phase_begin, const char *name)
{
	return record(ctx, PHASE_BEGIN, name);
}

SEC("uprobe")
int BPF_KPROBE(phase_end)
{
	return record(ctx, PHASE_END, NULL);
}
