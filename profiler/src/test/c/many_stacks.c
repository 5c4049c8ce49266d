/*
 * Stack-map pressure fixture: almost every CPU-clock sample of it has a user stack never seen
 * before. walk() descends DEPTH levels through sixteen functions f0..f15 picked at random at each
 * level (16^DEPTH paths), and the leaf spins for a few microseconds in spin(). Built with frame
 * pointers and without sibling calls, so every level stays a frame. Every function's name starts
 * with PREFIX (-DPREFIX=b: b_spin, b_f0...; default a), so two builds run side by side tell whose
 * stack a sample got. It walks for 5 ms, then sleeps 5 ms, so that it leaves the CPU to a profiler
 * that runs beside it (in the same cgroup, under the same CPU quota). Runs for SECONDS of wall
 * time, then exits 0. Usage: many_stacks SECONDS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define DEPTH 8
#ifndef PREFIX
#define PREFIX a
#endif
#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define NAME(x) CAT(PREFIX, x)

static volatile uint64_t sink;
static uint64_t seed = 88172645463325252ULL;

static uint64_t next_random(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static __attribute__((noinline)) void NAME(spin)(void)
{
	uint64_t x = seed;

	for (int i = 0; i < 20000; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sink += x;
}

typedef void (*step)(unsigned);
static step steps[16];

#define STEP(n)                                                                \
	static __attribute__((noinline)) void NAME(f##n)(unsigned depth)             \
	{                                                                      \
		if (depth == 0)                                                \
			NAME(spin)();                                                \
		else                                                           \
			steps[next_random() & 15](depth - 1);                  \
		sink++;                                                        \
	}
STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7)
STEP(8) STEP(9) STEP(10) STEP(11) STEP(12) STEP(13) STEP(14) STEP(15)

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static __attribute__((noinline)) void NAME(walk)(void)
{
	steps[next_random() & 15](DEPTH);
	sink++;
}

int main(int argc, char **argv)
{
	step all[16] = { NAME(f0),  NAME(f1),  NAME(f2),  NAME(f3),  NAME(f4),  NAME(f5),
			 NAME(f6),  NAME(f7),  NAME(f8),  NAME(f9),  NAME(f10), NAME(f11),
			 NAME(f12), NAME(f13), NAME(f14), NAME(f15) };
	double seconds = argc > 1 ? atof(argv[1]) : 3;
	double end = now_s() + seconds;
	unsigned long walks = 0;

	for (int i = 0; i < 16; i++)
		steps[i] = all[i];
	printf("ready\n");
	fflush(stdout);
	for (double t = now_s(); t < end; t = now_s()) {
		struct timespec rest = { 0, 5000000 };

		while (now_s() < t + 0.005) {
			NAME(walk)();
			walks++;
		}
		nanosleep(&rest, NULL);
	}
	printf("walks %lu\n", walks);
	return 0;
}
