/*
 * libaiprofcap.so: drops Linux capabilities on every thread of the calling process.
 *
 * Capabilities belong to each thread and a new thread copies its creator's, so a process-wide
 * drop has to run capset on each thread. This library does it the way libcap's psx does: it
 * installs a handler for one real-time signal, sends that signal to every thread found in
 * /proc/self/task (rt_tgsigqueueinfo, with the thread's result slot in the value), the handler
 * drops the thread's own capabilities with raw syscalls and records the result, and the caller
 * waits for every answer with a deadline, enumerating again until no new thread appears. The
 * previous disposition of the signal is restored afterwards (pending copies discarded first).
 *
 * The ABI between this library and Java (dev.aiprof.agent.privilege.CapDropLibrary) is this header:
 * the struct, the states and the function. Java checks aiprof_capdrop_abi() at load time.
 */
#ifndef AIPROF_CAPDROP_H
#define AIPROF_CAPDROP_H

#include <stdint.h>

/* Bumped with any change to the struct, the states or the function's signature. */
#define AIPROF_CAPDROP_ABI 1

/* Threads one call signals at most (the table is static: 4096 x 12 bytes). */
#define AIPROF_CAPDROP_MAX_THREADS 4096

/*
 * The signal is SIGRTMIN (libc's value: 34 with glibc, which keeps 32 and 33 for itself) plus
 * this offset, or the next of the following four whose disposition is SIG_DFL. HotSpot (JDK 25)
 * catches no real-time signal but SIGRTMAX-2 (its NIO/net interrupt signal).
 */
#define AIPROF_CAPDROP_SIGNAL_OFFSET 4
#define AIPROF_CAPDROP_SIGNAL_TRIES 5

/* What happened on one thread. */
enum aiprof_capdrop_state {
	AIPROF_CAPDROP_PENDING = 0,   /* signalled; no answer yet (never returned) */
	AIPROF_CAPDROP_DROPPED = 1,   /* capset succeeded on the thread */
	AIPROF_CAPDROP_FAILED = 2,    /* a syscall failed on the thread: err is its errno */
	AIPROF_CAPDROP_GONE = 3,      /* the thread exited before it answered */
	AIPROF_CAPDROP_NO_ANSWER = 4, /* alive, but no answer within the deadline */
	AIPROF_CAPDROP_NOT_SENT = 5,  /* the signal could not be sent: err is its errno */
};

struct aiprof_capdrop_thread {
	int32_t tid;
	int32_t state; /* enum aiprof_capdrop_state */
	int32_t err;   /* errno, for FAILED and NOT_SENT; else 0 */
};

/*
 * Keeps only the capabilities of mask `keep` (bit n: capability n) on every thread: the ambient
 * set cleared, the bounding set reduced to `keep` while CAP_SETPCAP is effective, then permitted
 * and effective set to (permitted & keep), inheritable to 0. Each enumeration of the threads
 * waits at most timeout_ms for the ones it signalled (a thread that exits meanwhile, or is a
 * zombie, is GONE and not waited for); after one timed out, later ones wait timeout_ms / 10: at
 * most timeout_ms * (1 + 63 / 10) in all, only when live threads never answer.
 *
 * Fills out[0..n) (n <= max_out) with one entry per thread seen, the calling thread first, and
 * *signo with the signal used. Returns n, or a negative errno: -EALREADY when another call is in
 * progress, -EBUSY when none of the candidate signals is free, -EINVAL for a bad argument, or
 * what sigaction or opening /proc/self/task failed with.
 */
int aiprof_capdrop_all(uint64_t keep, int32_t timeout_ms, struct aiprof_capdrop_thread *out,
		       int32_t max_out, int32_t *signo);

/* AIPROF_CAPDROP_ABI << 16 | sizeof(struct aiprof_capdrop_thread). */
int32_t aiprof_capdrop_abi(void);

#endif
