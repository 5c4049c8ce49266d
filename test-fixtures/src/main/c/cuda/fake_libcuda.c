/*
 * A fake libcuda.so.1: the driver API functions aiprof probes, with the real C ABI, doing nothing
 * but the one thing a test can check from outside: synchronisations really wait (the handle's
 * microseconds, measured on CLOCK_MONOTONIC), allocations hand out distinct device pointers, and
 * every call returns CUDA_SUCCESS (0). Built by the tests with gcc.
 */
#define _GNU_SOURCE
#include "fake_cuda.h"
#include <stdatomic.h>
#include <time.h>

/*
 * Each entry point starts with a one-byte NOP, an instruction the kernel's uprobe code emulates, as
 * it does the push %rbp real CUDA entry points begin with (libcudart.so.13's do): a probe hit then
 * costs what it costs on the real libraries (~0.5 us here), not a single-step of the first
 * instruction out of line (~10 us here for gcc's leaf code).
 */
#define API __attribute__((visibility("default"), noinline, patchable_function_entry(1, 0)))

static _Thread_local unsigned ctx_wait_us;
static atomic_ullong next_ptr = 0x7f0000000000ULL;

static void wait_us(unsigned long us)
{
	struct timespec now, end;

	if (!us)
		return; /* a stream with nothing queued: returns at once */
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_nsec += (long)(us % 1000000) * 1000;
	end.tv_sec += (time_t)(us / 1000000) + end.tv_nsec / 1000000000;
	end.tv_nsec %= 1000000000;
	do {
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec || (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec));
}

API void fake_cuda_set_ctx_wait_us(unsigned us) { ctx_wait_us = us; }
API CUresult cuInit(unsigned int flags) { return (CUresult)(flags & 0); }
API CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
			    unsigned by, unsigned bz, unsigned shared, CUstream s, void **params,
			    void **extra)
{
	(void)f, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz, (void)shared, (void)s,
		(void)params, (void)extra;
	return 0;
}
API CUresult cuLaunchKernelEx(const CUlaunchConfig *c, CUfunction f, void **p, void **e)
{
	(void)c, (void)f, (void)p, (void)e;
	return 0;
}
API CUresult cuGraphLaunch(CUgraphExec g, CUstream s) { (void)g, (void)s; return 0; }
API CUresult cuMemcpy(CUdeviceptr d, CUdeviceptr s, size_t n) { (void)d, (void)s, (void)n; return 0; }
API CUresult cuMemcpyAsync(CUdeviceptr d, CUdeviceptr s, size_t n, CUstream st)
{
	(void)d, (void)s, (void)n, (void)st;
	return 0;
}
API CUresult cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) { (void)d, (void)s, (void)n; return 0; }
API CUresult cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) { (void)d, (void)s, (void)n; return 0; }
API CUresult cuMemcpyDtoD_v2(CUdeviceptr d, CUdeviceptr s, size_t n) { (void)d, (void)s, (void)n; return 0; }
API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr d, const void *s, size_t n, CUstream st)
{
	(void)d, (void)s, (void)n, (void)st;
	return 0;
}
API CUresult cuMemcpyDtoHAsync_v2(void *d, CUdeviceptr s, size_t n, CUstream st)
{
	(void)d, (void)s, (void)n, (void)st;
	return 0;
}
API CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr d, CUdeviceptr s, size_t n, CUstream st)
{
	(void)d, (void)s, (void)n, (void)st;
	return 0;
}
API CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes)
{
	if (!ptr || !bytes)
		return 1; /* CUDA_ERROR_INVALID_VALUE */
	*ptr = atomic_fetch_add(&next_ptr, (bytes + 0xfffff) & ~0xfffffULL);
	return 0;
}
API CUresult cuMemFree_v2(CUdeviceptr ptr) { return ptr ? 0 : 1; }
API CUresult cuStreamSynchronize(CUstream s) { wait_us((unsigned long)s); return 0; }
API CUresult cuCtxSynchronize(void) { wait_us(ctx_wait_us); return 0; }
API CUresult cuEventSynchronize(CUevent e) { wait_us((unsigned long)e); return 0; }
