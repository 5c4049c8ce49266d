/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The marker functions: empty on purpose. The aiprof agent's uprobes on these
 * symbols read the arguments and a kernel timestamp.
 *
 * Each probe point starts with a 5-byte NOP (a plain NOP off x86-64), because
 * the instruction under a uprobe decides what a hit costs: a NOP is emulated by
 * the kernel, and newer kernels (6.18 here) rewrite a 5-byte one into a call
 * to their uprobe trampoline, while a bare `ret` must be single-stepped. On the
 * project's VM a hit cost ~22 us with `ret` first and ~1.9 us with the NOP.
 * The NOPs that follow give every function a body of its own, so no two symbols
 * can share an address. The asm statements also keep the calls from being
 * treated as removable.
 */
#include "aiprof.h"
#include "probe_points.h"

#if defined(__x86_64__)
#define PROBE_NOP ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t" /* nopl 0x0(%rax,%rax,1) */
#else
#define PROBE_NOP "nop\n\t"
#endif

AIPROF_PROBE_POINT int aiprof_abi_version(void)
{
	return AIPROF_ABI_VERSION;
}

AIPROF_PROBE_POINT void aiprof_phase_begin(const char *name)
{
	__asm__ __volatile__(PROBE_NOP : : "r"(name) : "memory");
}

AIPROF_PROBE_POINT void aiprof_phase_end(void)
{
	__asm__ __volatile__(PROBE_NOP "nop" : : : "memory");
}

AIPROF_PROBE_POINT void aiprof_nvtx_push(const char *name)
{
	__asm__ __volatile__(PROBE_NOP "nop; nop" : : "r"(name) : "memory");
}

AIPROF_PROBE_POINT void aiprof_nvtx_pop(void)
{
	__asm__ __volatile__(PROBE_NOP "nop; nop; nop" : : : "memory");
}
