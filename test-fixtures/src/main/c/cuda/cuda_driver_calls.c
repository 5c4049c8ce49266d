/*
 * Calls the driver API through libcuda.so.1 (the fake, linked directly) on N threads, a known
 * script per thread (thread i does some calls (i+1) times), and prints what it did (fixture.h).
 * Usage: cuda_driver_calls THREADS
 */
#include "fixture.h"
#include "fake_cuda.h"

#define MIB (1ULL << 20)

static void copies(const char *call, const char *dir, int n, size_t bytes,
		   CUresult (*f)(CUdeviceptr, CUdeviceptr, size_t))
{
	for (int i = 0; i < n; i++)
		f(0x1000, 0x2000, bytes);
	count(call, dir, n, (unsigned long long)n * bytes);
}

static void timed(const char *call, CUresult (*f)(void *), void *arg)
{
	unsigned long long start = mono_ns(), end;

	f(arg);
	end = mono_ns();
	SAY("wait %d %s %llu %llu\n", gettid(), call, start, end);
}

static CUresult ctx_sync(void *unused) { (void)unused; return cuCtxSynchronize(); }

static void *body(void *arg)
{
	int k = (int)(long)arg + 1;
	char host[4096];
	CUdeviceptr p[3];

	SAY("thread %d %d\n", k - 1, gettid());
	for (int i = 0; i < 10 * k; i++)
		cuLaunchKernel(NULL, 1, 1, 1, 32, 1, 1, 0, NULL, NULL, NULL);
	count("cuLaunchKernel", "none", 10 * k, 0);
	for (int i = 0; i < 3; i++)
		cuLaunchKernelEx(NULL, NULL, NULL, NULL);
	count("cuLaunchKernelEx", "none", 3, 0);
	cuGraphLaunch(NULL, NULL);
	cuGraphLaunch(NULL, NULL);
	count("cuGraphLaunch", "none", 2, 0);
	for (int i = 0; i < 3 * k; i++)
		cuMemcpyHtoD_v2(0x1000, host, 4096);
	count("cuMemcpy", "htod", 3 * k, 3ULL * k * 4096);
	for (int i = 0; i < 2; i++)
		cuMemcpyDtoH_v2(host, 0x1000, 1000);
	count("cuMemcpy", "dtoh", 2, 2000);
	copies("cuMemcpy", "dtod", 1, 512, cuMemcpyDtoD_v2);
	copies("cuMemcpy", "default", 1, 100, cuMemcpy);
	cuMemcpyHtoDAsync_v2(0x1000, host, 2048, NULL);
	count("cuMemcpyAsync", "htod", 1, 2048);
	cuMemcpyDtoHAsync_v2(host, 0x1000, 256, NULL);
	cuMemcpyDtoHAsync_v2(host, 0x1000, 256, NULL);
	count("cuMemcpyAsync", "dtoh", 2, 512);
	cuMemcpyDtoDAsync_v2(0x1000, 0x2000, 64, NULL);
	count("cuMemcpyAsync", "dtod", 1, 64);
	cuMemcpyAsync(0x1000, 0x2000, 10, NULL);
	count("cuMemcpyAsync", "default", 1, 10);
	for (int i = 0; i < 3; i++)
		cuMemAlloc_v2(&p[i], k * MIB);
	count("cuMemAlloc", "none", 3, 3ULL * k * MIB);
	cuMemFree_v2(p[0]);
	count("cuMemFree", "none", 1, k * MIB);
	timed("cuStreamSynchronize", (CUresult(*)(void *))cuStreamSynchronize, FAKE_WAIT_US(2000));
	timed("cuStreamSynchronize", (CUresult(*)(void *))cuStreamSynchronize, FAKE_WAIT_US(2000));
	count("cuStreamSynchronize", "none", 2, 0);
	timed("cuEventSynchronize", (CUresult(*)(void *))cuEventSynchronize, FAKE_WAIT_US(300));
	count("cuEventSynchronize", "none", 1, 0);
	fake_cuda_set_ctx_wait_us(20);
	for (int i = 0; i < 3; i++)
		timed("cuCtxSynchronize", ctx_sync, NULL);
	count("cuCtxSynchronize", "none", 3, 0);
	return NULL;
}

int main(int argc, char **argv)
{
	return run_threads(argc > 1 ? atoi(argv[1]) : 2, body);
}
