/*
 * Calls the runtime API of the real libcudart.so.13 (linked with gcc; no driver on the machine, so
 * every call returns 35, cudaErrorInsufficientDriver, but the probes fire) on N threads, a known
 * script per thread, and prints what it did (fixture.h). Usage: cudart_calls THREADS
 */
#include "fixture.h"
#include <cuda_runtime_api.h>

static void kernel_stub(void) {}

static void result(const char *call, cudaError_t e)
{
	SAY("result %d %s %d\n", gettid(), call, (int)e);
}

static void *body(void *arg)
{
	int k = (int)(long)arg + 1;
	char host[2048];
	void *dev = NULL;
	dim3 one = {1, 1, 1};

	SAY("thread %d %d\n", k - 1, gettid());
	for (int i = 0; i < 5 * k; i++)
		result("cudaLaunchKernel", cudaLaunchKernel((const void *)kernel_stub, one, one, NULL, 0, 0));
	count("cudaLaunchKernel", "none", 5 * k, 0);
	for (int i = 0; i < 2; i++)
		result("cudaMemcpy", cudaMemcpy(host, host + 1024, 1234, cudaMemcpyHostToDevice));
	count("cudaMemcpy", "htod", 2, 2468);
	result("cudaMemcpy", cudaMemcpy(host, host + 1024, 99, cudaMemcpyDeviceToHost));
	count("cudaMemcpy", "dtoh", 1, 99);
	result("cudaMemcpyAsync", cudaMemcpyAsync(host, host + 1024, 77, cudaMemcpyDeviceToDevice, 0));
	count("cudaMemcpyAsync", "dtod", 1, 77);
	for (int i = 0; i < 2; i++)
		result("cudaMalloc", cudaMalloc(&dev, 1 << 20));
	count("cudaMalloc", "none", 2, 0); /* failed: nothing allocated */
	result("cudaFree", cudaFree(dev));
	count("cudaFree", "none", 1, 0);
	result("cudaDeviceSynchronize", cudaDeviceSynchronize());
	count("cudaDeviceSynchronize", "none", 1, 0);
	for (int i = 0; i < 2 * k; i++)
		result("cudaStreamSynchronize", cudaStreamSynchronize(0));
	count("cudaStreamSynchronize", "none", 2 * k, 0);
	result("cudaEventSynchronize", cudaEventSynchronize(0));
	count("cudaEventSynchronize", "none", 1, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	return run_threads(argc > 1 ? atoi(argv[1]) : 2, body);
}
