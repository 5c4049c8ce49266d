/*
 * A fake CUDA runtime layered on the (fake) driver the way the real one is: each runtime call
 * makes the driver call that does its work (cudaLaunchKernel → cuLaunchKernel, cudaMemcpy →
 * cuMemcpyHtoD_v2/DtoH_v2, cudaMalloc → cuMemAlloc_v2, cudaFree → cuMemFree_v2,
 * cudaDeviceSynchronize → cuCtxSynchronize). For testing that the probe counts such a call once.
 */
#include "fake_cuda.h"
#include "fake_cudart.h"

/*
 * Each entry point starts with a one-byte NOP, an instruction the kernel's uprobe code emulates, as
 * it does the push %rbp real CUDA entry points begin with (libcudart.so.13's do): a probe hit then
 * costs what it costs on the real libraries (~0.5 us here), not a single-step of the first
 * instruction out of line (~10 us here for gcc's leaf code).
 */
#define API __attribute__((visibility("default"), noinline, patchable_function_entry(1, 0)))

API cudaError_t cudaLaunchKernel(const void *func, fake_dim3 grid, fake_dim3 block, void **args,
				 size_t shared, cudaStream_t stream)
{
	return cuLaunchKernel((CUfunction)func, grid.x, grid.y, grid.z, block.x, block.y, block.z,
			      (unsigned)shared, (CUstream)stream, args, NULL);
}

API cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, int kind)
{
	if (kind == cudaMemcpyHostToDevice)
		return cuMemcpyHtoD_v2((CUdeviceptr)dst, src, bytes);
	return cuMemcpyDtoH_v2(dst, (CUdeviceptr)src, bytes);
}

API cudaError_t cudaMalloc(void **ptr, size_t bytes) { return cuMemAlloc_v2((CUdeviceptr *)ptr, bytes); }
API cudaError_t cudaFree(void *ptr) { return cuMemFree_v2((CUdeviceptr)ptr); }
API cudaError_t cudaDeviceSynchronize(void) { return cuCtxSynchronize(); }
