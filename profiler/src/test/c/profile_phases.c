/*
 * CPU-profile fixture: each round runs phase "alpha" (crunch_alpha spins for ALPHA_MS of the
 * thread's CPU time), phase "beta" (crunch_beta, BETA_MS) and phase "wait" (wait_step sleeps in nanosleep for
 * WAIT_MS, off the CPU). Both crunch functions are leaves that do integer work in a loop, so a
 * CPU-clock sample of the thread inside a phase lands in that phase's function. Built with frame
 * pointers. Prints fixture.h's lines plus "phase <tid> <name> <start_ns> <end_ns>". Links
 * libaiprof.so. Usage: profile_phases ROUNDS
 */
#include "fixture.h"
#include <aiprof.h>

#define ALPHA_MS 250 /* of the thread's CPU time, however long the machine makes it take */
#define BETA_MS 250
#define WAIT_MS 40

static int rounds = 2;
static volatile unsigned long long sink;

static inline unsigned long long cpu_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

static __attribute__((noinline)) void crunch_alpha(unsigned long long until)
{
	unsigned long long x = 1;

	while (cpu_ns() < until)
		for (int i = 0; i < 20000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink = x;
}

static __attribute__((noinline)) void crunch_beta(unsigned long long until)
{
	unsigned long long x = 7;

	while (cpu_ns() < until)
		for (int i = 0; i < 20000; i++)
			x ^= (x << 13) ^ (x >> 7) ^ (x << 17);
	sink = x;
}

static __attribute__((noinline)) void blocking_sleep(int ms)
{
	struct timespec t = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&t, NULL);
}

static __attribute__((noinline)) void wait_step(void)
{
	blocking_sleep(WAIT_MS);
	sink++;
}

static void phase(const char *name, int ms)
{
	unsigned long long start = mono_ns(), end;

	aiprof_phase_begin(name);
	if (name[0] == 'a')
		crunch_alpha(cpu_ns() + ms * 1000000ULL);
	else if (name[0] == 'b')
		crunch_beta(cpu_ns() + ms * 1000000ULL);
	else
		wait_step();
	aiprof_phase_end();
	end = mono_ns();
	SAY("phase %d %s %llu %llu\n", gettid(), name, start, end);
}

static void *body(void *arg)
{
	(void)arg;
	SAY("thread 0 %d\n", gettid());
	for (int r = 0; r < rounds; r++) {
		phase("alpha", ALPHA_MS);
		phase("beta", BETA_MS);
		phase("wait", WAIT_MS);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = atoi(argv[1]);
	return run_threads(1, body);
}
