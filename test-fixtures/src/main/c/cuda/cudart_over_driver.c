/*
 * Calls the fake runtime (which calls the fake driver under each call) and the driver directly,
 * on N threads, and prints what it did (fixture.h): the driver calls the runtime makes are not in
 * its counts, as a profiler should count each launch once. Usage: cudart_over_driver THREADS
 */
#include "fixture.h"
#include "fake_cuda.h"
#include "fake_cudart.h"

static void *body(void *arg)
{
	int k = (int)(long)arg + 1;
	char host[512];
	void *dev[2];
	fake_dim3 one = {1, 1, 1};

	SAY("thread %d %d\n", k - 1, gettid());
	for (int i = 0; i < 4 * k; i++)
		cudaLaunchKernel(NULL, one, one, NULL, 0, NULL);
	count("cudaLaunchKernel", "none", 4 * k, 0);
	for (int i = 0; i < 3; i++)
		cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	count("cuLaunchKernel", "none", 3, 0);
	cudaMemcpy(host, host, 300, cudaMemcpyHostToDevice);
	count("cudaMemcpy", "htod", 1, 300);
	cudaMemcpy(host, host, 200, cudaMemcpyDeviceToHost);
	count("cudaMemcpy", "dtoh", 1, 200);
	cudaMalloc(&dev[0], 1 << 20);
	cudaMalloc(&dev[1], 1 << 20);
	count("cudaMalloc", "none", 2, 2 << 20);
	cudaFree(dev[0]);
	count("cudaFree", "none", 1, 1 << 20);
	fake_cuda_set_ctx_wait_us(500);
	cudaDeviceSynchronize();
	count("cudaDeviceSynchronize", "none", 1, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	return run_threads(argc > 1 ? atoi(argv[1]) : 2, body);
}
