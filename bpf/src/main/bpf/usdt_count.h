/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The USDT counter's ABI: what crosses between usdt_count.bpf.c and UsdtCounter.java. The Java
 * mirror is checked against the compiled object's BTF (UsdtCountLayoutTest).
 */
#ifndef AIPROF_USDT_COUNT_H
#define AIPROF_USDT_COUNT_H

enum usdt_count_limits {
	USDT_COUNT_SLOTS = 256,   /* probes counted at most; a site's cookie is its probe's slot */
	USDT_COUNT_PIDS = 4096,   /* (probe, process) pairs counted apart at most */
	USDT_COUNT_UNOWNED = 256, /* usdt_hits slot: hits whose pair found no room in usdt_by_pid */
};

/* A key of usdt_by_pid: hits of one probe in one process. */
struct usdt_key {
	__u32 slot; /* the probe's slot */
	__u32 pid;  /* the process (tgid) */
};

#endif /* AIPROF_USDT_COUNT_H */
