/*
 * Our own declarations of the runtime API functions the fake runtime implements (the documented C
 * ABI: cudaError_t is an int, dim3 three unsigned ints passed by value). Not NVIDIA's header.
 */
#ifndef AIPROF_FAKE_CUDART_H
#define AIPROF_FAKE_CUDART_H
#include <stddef.h>

typedef int cudaError_t;
typedef struct fake_rt_stream *cudaStream_t;
typedef struct {
	unsigned x, y, z;
} fake_dim3;
enum { cudaMemcpyHostToDevice = 1, cudaMemcpyDeviceToHost = 2 };

cudaError_t cudaLaunchKernel(const void *func, fake_dim3 grid, fake_dim3 block, void **args,
			     size_t shared, cudaStream_t stream);
cudaError_t cudaMemcpy(void *dst, const void *src, size_t bytes, int kind);
cudaError_t cudaMalloc(void **ptr, size_t bytes);
cudaError_t cudaFree(void *ptr);
cudaError_t cudaDeviceSynchronize(void);
#endif
