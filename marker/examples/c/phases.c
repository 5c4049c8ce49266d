/*
 * aiprof markers from C: an epoch of two steps, each loading then computing.
 * Build: make examples (or: cc phases.c -I../../include -L../../target -laiprof)
 * Prints each marker call with the thread id and the CLOCK_MONOTONIC readings
 * just before and after it, so the agent's timestamps can be checked against them.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "aiprof.h"

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void begin(const char *name)
{
	long long before = now_ns();

	aiprof_phase_begin(name);
	printf("begin %s tid=%d mono=%lld..%lld\n", name, gettid(), before, now_ns());
}

static void end(const char *name)
{
	long long before = now_ns();

	aiprof_phase_end();
	printf("end %s tid=%d mono=%lld..%lld\n", name, gettid(), before, now_ns());
}

static void work(long ms)
{
	struct timespec t = {0, ms * 1000000L};

	nanosleep(&t, NULL);
}

int main(void)
{
	printf("pid=%d abi=%d\n", getpid(), aiprof_abi_version());
	begin("epoch");
	for (int step = 0; step < 2; step++) {
		begin("load");
		work(20);
		end("load");
		begin("compute");
		work(30);
		end("compute");
	}
	end("epoch");
	return 0;
}
