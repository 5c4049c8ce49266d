/*
 * Our own declarations of the CUDA driver API functions the fake libcuda.so.1 implements, written
 * from the documented C ABI (x86-64 SysV: handles are pointers, CUdeviceptr is 64 bits, CUresult an
 * int). Not NVIDIA's header.
 */
#ifndef AIPROF_FAKE_CUDA_H
#define AIPROF_FAKE_CUDA_H
#include <stddef.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
typedef struct fake_stream *CUstream;
typedef struct fake_event *CUevent;
typedef struct fake_function *CUfunction;
typedef struct fake_graph_exec *CUgraphExec;
typedef struct fake_launch_config CUlaunchConfig;

CUresult cuInit(unsigned int flags);
CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
			unsigned by, unsigned bz, unsigned shared, CUstream s, void **params,
			void **extra);
CUresult cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params, void **extra);
CUresult cuGraphLaunch(CUgraphExec g, CUstream s);
CUresult cuMemcpy(CUdeviceptr dst, CUdeviceptr src, size_t bytes);
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream s);
CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void *src, size_t bytes);
CUresult cuMemcpyDtoH_v2(void *dst, CUdeviceptr src, size_t bytes);
CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes);
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, CUstream s);
CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, CUstream s);
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream s);
CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes);
CUresult cuMemFree_v2(CUdeviceptr ptr);
CUresult cuStreamSynchronize(CUstream s);
CUresult cuCtxSynchronize(void);
CUresult cuEventSynchronize(CUevent e);

/*
 * The fake's own knobs (not CUDA): a stream or event handle is the number of microseconds its
 * synchronisation waits; cuCtxSynchronize waits what this thread last set here.
 */
void fake_cuda_set_ctx_wait_us(unsigned us);
#define FAKE_WAIT_US(us) ((void *)(unsigned long)(us))

#endif
