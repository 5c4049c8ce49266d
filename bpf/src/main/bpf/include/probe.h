/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every aiprof probe declares the same way, declared once: its per-CPU health counters, its
 * ring buffer of events and the ring's wake-up policy. A probe defines, before including this:
 *
 *   PROBE_COUNTERS    length of `counters` (its ABI header's *_COUNTERS constant)
 *   PROBE_RING_BYTES  default size of `events` (the loader sets the real size before load)
 *
 * The Java side finds both maps by these names, and sets wakeup_bytes (default: a quarter of the
 * ring) before load. Needs kernel.h and bpf_helpers.h first.
 */
#ifndef AIPROF_PROBE_H
#define AIPROF_PROBE_H

#ifndef PROBE_COUNTERS
#error "define PROBE_COUNTERS (the length of the counters map) before including probe.h"
#endif
#ifndef PROBE_RING_BYTES
#error "define PROBE_RING_BYTES (the default size of the events ring) before including probe.h"
#endif

/* Load-time setting: wake the consumer when this much is queued (else it drains on a timer). */
const volatile __u64 wakeup_bytes = PROBE_RING_BYTES / 4;

/* The probe's own health, indexed by its ABI header's counter enum; user space sums the CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROBE_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PROBE_RING_BYTES);
} events SEC(".maps");

static __always_inline void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		*c += 1;
}

/* Reserves an event of `size` bytes, or counts `dropped` and returns NULL when the ring is full. */
static __always_inline void *reserve_event(__u64 size, __u32 dropped)
{
	void *e = bpf_ringbuf_reserve(&events, size, 0);

	if (!e)
		count(dropped);
	return e;
}

/* A CPU looks at how full the ring is once in this many events it submits (a power of two). */
#define PROBE_QUERY_EVERY 16

/*
 * Submits a reserved event and counts `submitted`. The consumer is not woken (it drains on a
 * timer) until wakeup_bytes are queued: one wake-up per batch, not per event, so the agent's own
 * poll thread does not feed the scheduler probe a switch per event. The fill is read only every
 * PROBE_QUERY_EVERY-th event of a CPU: it reads the consumer's position, a cache line the consumer
 * writes from another CPU, which cost ~70 ns an event under the scheduler benchmark's load. The
 * wake-up then comes at most that many events per CPU past wakeup_bytes.
 */
static __always_inline void submit_event(void *e, __u32 submitted)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &submitted);
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (n) {
		*n += 1;
		if (!(*n & (PROBE_QUERY_EVERY - 1)) &&
		    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
			flags = BPF_RB_FORCE_WAKEUP;
	}
	bpf_ringbuf_submit(e, flags);
}

#endif /* AIPROF_PROBE_H */
