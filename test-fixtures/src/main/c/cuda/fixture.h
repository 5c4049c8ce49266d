/*
 * What the CUDA fixture programs share: the line protocol with the test (they print "ready", wait
 * for "go" on stdin, run their calls on worker threads, print what they did and "done", then wait
 * for "exit") and the lines that are the program's own truth:
 *
 *   thread <index> <tid>
 *   count <tid> <call> <direction> <calls> <bytes>   (call and direction as aiprof labels them)
 *   wait <tid> <call> <start_ns> <end_ns>             (CLOCK_MONOTONIC around one synchronisation)
 *   result <tid> <call> <value>                       (what a call returned)
 */
#ifndef AIPROF_CUDA_FIXTURE_H
#define AIPROF_CUDA_FIXTURE_H
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static inline unsigned long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

#define SAY(...)                                  \
	do {                                      \
		pthread_mutex_lock(&out_lock);    \
		printf(__VA_ARGS__);              \
		fflush(stdout);                   \
		pthread_mutex_unlock(&out_lock);  \
	} while (0)

static inline void count(const char *call, const char *dir, int n, unsigned long long bytes)
{
	SAY("count %d %s %s %d %llu\n", gettid(), call, dir, n, bytes);
}

static inline void expect_line(const char *want)
{
	char line[64];

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, want))
			return;
	}
	exit(3);
}

/* Runs body(index) on `threads` threads after "go"; prints "done" when all finished. */
static inline int run_threads(int threads, void *(*body)(void *))
{
	pthread_t t[16];

	if (threads < 1 || threads > 16)
		return 2;
	SAY("ready\n");
	expect_line("go");
	for (long i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, body, (void *)i);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	SAY("done\n");
	expect_line("exit");
	return 0;
}
#endif
