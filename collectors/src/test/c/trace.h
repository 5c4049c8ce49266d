/*
 * Test-program helpers: each marker call is printed as
 *   begin|end <name> tid=<tid> mono=<before>..<after> origin=<marker|nvtx>
 * with CLOCK_MONOTONIC read just before and just after the call, so the test can
 * check the agent's kernel timestamps against the program's own clock.
 */
#ifndef TRACE_H
#define TRACE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Runs `call`, then prints it with the readings around it. */
#define TRACED(kind, name, origin, call)                                                        \
	do {                                                                                    \
		long long before_ = now_ns();                                                   \
		call;                                                                           \
		long long after_ = now_ns();                                                    \
		printf("%s %s tid=%d mono=%lld..%lld origin=%s\n", kind, name, gettid(), before_, \
		       after_, origin);                                                         \
	} while (0)

static inline void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

/* Prints a line and waits for one on stdin (the test's go-ahead); returns it. */
static inline void handshake(const char *say, const char *want)
{
	char line[64];

	printf("%s\n", say);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, want, strlen(want)) == 0)
			return;
	}
}

#endif
