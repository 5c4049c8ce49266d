/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The functions the aiprof agent attaches uprobes to. Each is a real,
 * exported, never-inlined function with its own address, so a uprobe on its
 * symbol sees every call:
 *   noipa    no inlining, cloning (.constprop/.isra) or identical-code folding:
 *            callers inside the library call this very symbol
 *   used     kept even if nothing in the library calls it
 *   visibility("default")  exported although the library builds with hidden
 * The NVTX routes are separate symbols from the public markers so the agent
 * can tell the two origins apart (one attach cookie per symbol).
 */
#ifndef AIPROF_PROBE_POINTS_H
#define AIPROF_PROBE_POINTS_H

#if defined(__has_attribute)
#if __has_attribute(noipa)
#define AIPROF_NOIPA __attribute__((noipa))
#endif
#endif
#ifndef AIPROF_NOIPA
#define AIPROF_NOIPA
#endif

#define AIPROF_PROBE_POINT __attribute__((noinline, used, visibility("default"))) AIPROF_NOIPA

/* Where NVTX push/pop land (called by the injection callbacks in nvtx.c only). */
AIPROF_PROBE_POINT void aiprof_nvtx_push(const char *name);
AIPROF_PROBE_POINT void aiprof_nvtx_pop(void);

#endif /* AIPROF_PROBE_POINTS_H */
