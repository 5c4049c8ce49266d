/*
 * What a probed CUDA call costs the calling thread: times N calls of three kinds against the fake
 * driver and runtime of test-fixtures/src/main/c/cuda (which do nothing, so the time is the call
 * and whatever the probes add) and prints "<what> <ns per call>":
 *
 *   cuLaunchKernel        driver, an entry uprobe only
 *   cuStreamSynchronize   driver, an entry uprobe and a uretprobe (the fake returns at once)
 *   cudaLaunchKernel      runtime entry and return probes, plus the driver's entry probe under it
 *                         (suppressed: counted once)
 *
 * Usage: cuda-calls plain|probed N. "probed" first waits (up to 60 s) until the agent has attached:
 * a uprobe turns the first byte of the probed function into int3 (0xcc) in this process's copy.
 */
#define _GNU_SOURCE
#include "fake_cuda.h"
#include "fake_cudart.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static void launch(void) { cuLaunchKernel(NULL, 1, 1, 1, 1, 1, 1, 0, NULL, NULL, NULL); }
static void sync_stream(void) { cuStreamSynchronize(NULL); }
static void rt_launch(void)
{
	fake_dim3 one = {1, 1, 1};

	cudaLaunchKernel(NULL, one, one, NULL, 0, NULL);
}

static void measure(const char *what, void (*call)(void), long n)
{
	double start;

	for (long i = 0; i < n / 10; i++)
		call();
	start = now_ns();
	for (long i = 0; i < n; i++)
		call();
	printf("%s %.1f\n", what, (now_ns() - start) / n);
	fflush(stdout);
}

static int probed(void *f) { return *(volatile unsigned char *)f == 0xcc; }

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;

	if (argc < 2 || (strcmp(argv[1], "plain") && strcmp(argv[1], "probed")))
		return fprintf(stderr, "usage: cuda-calls plain|probed N\n"), 2;
	if (!strcmp(argv[1], "probed")) {
		for (int i = 0; !(probed((void *)cuLaunchKernel) && probed((void *)cuStreamSynchronize) &&
				  probed((void *)cudaLaunchKernel)); i++) {
			if (i == 6000)
				return fprintf(stderr, "cuda-calls: not probed after 60 s\n"), 1;
			usleep(10000);
		}
	} else if (probed((void *)cuLaunchKernel)) {
		return fprintf(stderr, "cuda-calls: probed already, cannot measure plain calls\n"), 1;
	}
	measure("cuLaunchKernel", launch, n);
	measure("cuStreamSynchronize", sync_stream, n);
	measure("cudaLaunchKernel", rt_launch, n);
	return 0;
}
