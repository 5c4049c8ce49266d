/*
 * Marker phases with and without CUDA: each round runs phase "gpu-step" (20 launches, two 8 KiB
 * host-to-device copies, one 5 ms stream synchronisation, two 20 µs context synchronisations) and,
 * 60 ms later, phase "cpu-step" (40 ms of sleep, no CUDA call). Links libaiprof.so and the fake
 * libcuda.so.1. Prints fixture.h lines plus "phase <tid> <name> <start_ns> <end_ns>" around each
 * phase. Usage: cuda_phases ROUNDS
 */
#include "fixture.h"
#include "fake_cuda.h"
#include <aiprof.h>

static int rounds = 2;

static void gpu_step(void)
{
	char host[8192];

	for (int i = 0; i < 20; i++)
		cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL);
	cuMemcpyHtoD_v2(0x1000, host, sizeof(host));
	cuMemcpyHtoD_v2(0x1000, host, sizeof(host));
	cuStreamSynchronize(FAKE_WAIT_US(5000));
	fake_cuda_set_ctx_wait_us(20);
	cuCtxSynchronize();
	cuCtxSynchronize();
}

static void phase(const char *name, void (*body)(void))
{
	unsigned long long start = mono_ns(), end;

	aiprof_phase_begin(name);
	body();
	aiprof_phase_end();
	end = mono_ns();
	SAY("phase %d %s %llu %llu\n", gettid(), name, start, end);
}

static void cpu_step(void) { usleep(40000); }

static void *body(void *arg)
{
	(void)arg;
	SAY("thread 0 %d\n", gettid());
	for (int r = 0; r < rounds; r++) {
		phase("gpu-step", gpu_step);
		usleep(60000);
		phase("cpu-step", cpu_step);
		usleep(60000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = atoi(argv[1]);
	return run_threads(1, body);
}
