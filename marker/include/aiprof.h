/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * aiprof phase markers: mark where a workload's phases (load, forward, step...)
 * begin and end, so the aiprof agent can attribute scheduler, I/O and GPU time
 * to them.
 *
 * The functions do nothing. The agent, when it runs, catches their calls with
 * uprobes and reads the name, the thread and a kernel timestamp; without the
 * agent a call costs a function call. Nothing is sent anywhere and no agent
 * code runs in the process.
 *
 * Rules:
 *   - begin/end pair up per thread, like a stack: end closes the innermost open
 *     phase of the calling thread. Phases may nest.
 *   - the name is read at the moment of the begin call; the agent keeps its first
 *     AIPROF_NAME_MAX - 1 bytes (UTF-8). The caller keeps ownership of it.
 *   - every function is thread-safe, async-signal-safe, allocates nothing and
 *     never fails.
 *
 * ABI: the symbols below are stable within an AIPROF_ABI_VERSION; a new version
 * only adds symbols. Link with -laiprof, or load libaiprof.so at run time
 * (dlopen, Python ctypes, Java JNA).
 */
#ifndef AIPROF_H
#define AIPROF_H

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the ABI this header describes. */
#define AIPROF_ABI_VERSION 1

/* Longest name the agent keeps, including the terminating NUL. */
#define AIPROF_NAME_MAX 64

/* The ABI version of the loaded library (AIPROF_ABI_VERSION of its build). */
int aiprof_abi_version(void);

/*
 * Begins a phase called `name` (UTF-8, NUL-terminated; NULL reads as "") on the
 * calling thread.
 */
void aiprof_phase_begin(const char *name);

/* Ends the calling thread's innermost open phase. */
void aiprof_phase_end(void);

#ifdef __cplusplus
}
#endif

#endif /* AIPROF_H */
