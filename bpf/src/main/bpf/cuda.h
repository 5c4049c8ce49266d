/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The CUDA probe's ABI: every struct and constant that crosses between cuda.bpf.c and the Java
 * side lives here, and only here. The Java mirror in dev.aiprof.bpf.cuda is tested against this
 * file's BTF (CudaLayoutTest).
 */
#ifndef AIPROF_CUDA_H
#define AIPROF_CUDA_H

enum cuda_limits {
	/* log2 histogram of nanoseconds: slot i counts [2^i, 2^(i+1)) ns, the last slot is open. */
	CUDA_HIST_SLOTS = 40,
	/* Length of the per-CPU counters array. */
	CUDA_COUNTERS = 9,
	/* Bits of an attach cookie that hold the call (enum cuda_call); the next 8 the direction. */
	CUDA_COOKIE_CALL_BITS = 8,
	/* The direction in a cookie that says "read it from the call's cudaMemcpyKind argument". */
	CUDA_DIR_FROM_KIND = 255,
};

/* The API function a record counts: the attach cookie's low byte. Driver API first. */
enum cuda_call {
	CUDA_CALL_LAUNCH_KERNEL = 0,    /* cuLaunchKernel */
	CUDA_CALL_LAUNCH_KERNEL_EX = 1, /* cuLaunchKernelEx */
	CUDA_CALL_GRAPH_LAUNCH = 2,     /* cuGraphLaunch */
	CUDA_CALL_MEMCPY = 3,           /* cuMemcpy{,HtoD,DtoH,DtoD}_v2 (direction apart) */
	CUDA_CALL_MEMCPY_ASYNC = 4,     /* cuMemcpy{,HtoD,DtoH,DtoD}Async_v2 */
	CUDA_CALL_MEM_ALLOC = 5,        /* cuMemAlloc_v2 */
	CUDA_CALL_MEM_FREE = 6,         /* cuMemFree_v2 */
	CUDA_CALL_STREAM_SYNC = 7,      /* cuStreamSynchronize */
	CUDA_CALL_CTX_SYNC = 8,         /* cuCtxSynchronize */
	CUDA_CALL_EVENT_SYNC = 9,       /* cuEventSynchronize */
	CUDA_CALL_RT_LAUNCH_KERNEL = 10, /* cudaLaunchKernel */
	CUDA_CALL_RT_MEMCPY = 11,        /* cudaMemcpy */
	CUDA_CALL_RT_MEMCPY_ASYNC = 12,  /* cudaMemcpyAsync */
	CUDA_CALL_RT_MALLOC = 13,        /* cudaMalloc */
	CUDA_CALL_RT_FREE = 14,          /* cudaFree */
	CUDA_CALL_RT_DEVICE_SYNC = 15,   /* cudaDeviceSynchronize */
	CUDA_CALL_RT_STREAM_SYNC = 16,   /* cudaStreamSynchronize */
	CUDA_CALL_RT_EVENT_SYNC = 17,    /* cudaEventSynchronize */
	CUDA_CALLS = 18,
};

/* Which way a copy went: the values of the runtime's cudaMemcpyKind. */
enum cuda_dir {
	CUDA_DIR_NONE = 0, /* not a copy (cudaMemcpyHostToHost also maps here) */
	CUDA_DIR_HTOD = 1,
	CUDA_DIR_DTOH = 2,
	CUDA_DIR_DTOD = 3,
	CUDA_DIR_DEFAULT = 4, /* unified addressing: the driver infers it (cuMemcpy, cudaMemcpyDefault) */
	CUDA_DIRS = 5,
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum cuda_counter {
	CUDA_CNT_EVENTS = 0,          /* wait events submitted to the ring buffer */
	CUDA_CNT_EVENTS_DROPPED = 1,  /* ring buffer full: event not sent (its time stays in stats) */
	CUDA_CNT_STATS_FULL = 2,      /* `stats` could not take a new entry: the call is not counted */
	CUDA_CNT_ALLOCS_FULL = 3,     /* `allocs` full: the allocation's bytes are not tracked */
	CUDA_CNT_FREE_UNKNOWN = 4,    /* a free of a pointer not in `allocs` (allocated before attach) */
	CUDA_CNT_STATE_MISSING = 5,   /* no per-thread state (task storage): the call is not counted */
	CUDA_CNT_SUPPRESSED = 6,      /* driver calls made inside a runtime call: counted once, there */
	CUDA_CNT_HIST_FULL = 7,       /* `sync_hist` could not take a new workload and call */
	CUDA_CNT_UNMATCHED_RETURN = 8, /* a return probe with no entry seen (attached mid-call) */
};

/*
 * Key of `stats`: one thread's calls of one function (and copy direction) in one time slot of
 * 2^slot_shift ns of CLOCK_MONOTONIC (ts >> slot_shift). User space reads and deletes slots that
 * have ended; the slot says when the calls happened, to attribute them to phases.
 */
struct cuda_key {
	__u64 slot;
	__u32 tid;
	__u16 call; /* enum cuda_call */
	__u8 dir;   /* enum cuda_dir */
	__u8 pad;
};

/* Values of `stats`: cumulative within the slot. */
struct cuda_stats {
	__u64 cgroup_id;    /* cgroup v2 id of the thread when the entry was made */
	__u64 cgroup_v1_id; /* its v1 memory-cgroup id (0: none) */
	__u64 calls;
	__u64 errors;       /* calls that returned non-zero (only calls with a return probe) */
	__u64 bytes;        /* copies: bytes asked for; allocations: bytes allocated; frees: freed */
	__u64 ns;           /* time inside calls with a return probe (waits, copies, allocations) */
	__u64 event_ns;     /* the part of ns sent as wait events (waits >= wait_event_ns) */
	__u64 first_ts;     /* when the slot's first call was counted (its return, with a return probe) */
	__u64 last_ts;      /* when its last call was counted: the calls lie in [first_ts, last_ts] */
	__u32 pid;
	__u32 pad;
};

/* Key of `sync_hist`: a workload's waits in one synchronisation call. */
struct cuda_hist_key {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u32 call; /* enum cuda_call */
	__u32 pad;
};

/* Values of `sync_hist`: cumulative log2 histogram of wait times. */
struct cuda_hist {
	__u64 slots[CUDA_HIST_SLOTS];
};

/* Key of `allocs`: one live device allocation of a process. */
struct cuda_alloc_key {
	__u64 ptr;
	__u32 pid;
	__u32 pad;
};

/* One synchronisation wait of at least wait_event_ns, stamped by the kernel at entry and return. */
struct cuda_wait_event {
	__u64 start_ts;
	__u64 end_ts;
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u32 pid;
	__u32 tid;
	__s32 result; /* the call's return value (CUresult / cudaError_t) */
	__u16 call;   /* enum cuda_call */
	__u8 pad[2];
};

#endif /* AIPROF_CUDA_H */
