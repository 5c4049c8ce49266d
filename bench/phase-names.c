/*
 * phase-names: one pod's workload for bench/cardinality.sh. Marks NAMES distinct phase names
 * (PREFIX-0 ... PREFIX-<NAMES-1>) through libaiprof.so, one after the other, then sleeps so that
 * each round takes PERIOD_MS; forever, until killed. Phase i lasts about (i % 10) + 1 ms, so the
 * names spread over several histogram buckets.
 *
 * Build: cc -O2 phase-names.c -I../marker/include -L../marker/target -laiprof
 * Usage: phase-names NAMES PERIOD_MS [PREFIX]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "aiprof.h"

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) != 0) {
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s NAMES PERIOD_MS [PREFIX]\n", argv[0]);
		return 2;
	}
	int names = atoi(argv[1]);
	long period = atol(argv[2]);
	const char *prefix = argc > 3 ? argv[3] : "phase";
	char name[AIPROF_NAME_MAX];

	if (names < 1 || period < 1) {
		fprintf(stderr, "%s: NAMES and PERIOD_MS must be >= 1\n", argv[0]);
		return 2;
	}
	for (;;) {
		long busy = 0;

		for (int i = 0; i < names; i++) {
			snprintf(name, sizeof(name), "%s-%d", prefix, i);
			aiprof_phase_begin(name);
			sleep_ms(i % 10 + 1);
			aiprof_phase_end();
			busy += i % 10 + 1;
		}
		sleep_ms(period > busy ? period - busy : 1);
	}
}
