/*
 * Threads that exit while aiprof_capdrop_all runs (CapDropExitsIT): the group leader calls
 * pthread_exit first (a zombie while the rest run); four threads block every signal and exit
 * 300 ms into the drop (signalled, never answering); a fifth such thread starts one more 100 ms
 * in, after the first enumeration, which unblocks signals and lives on. Prints "self TID", "late TID", "blocker TID" and one
 * "thread TID STATE ERR" per entry of the answer, then "late_capeff HEX" from the late thread's
 * status after the drop.
 */
#define _GNU_SOURCE
#include "capdrop.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static volatile pid_t late_tid;

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};
	while (nanosleep(&t, &t) != 0) {
	}
}

static void *blocker(void *arg)
{
	(void)arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	printf("blocker %ld\n", (long)syscall(SYS_gettid));
	fflush(stdout);
	sleep_ms(300);
	return NULL;
}

static void *late(void *arg)
{
	(void)arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_UNBLOCK, &all, NULL);
	late_tid = (pid_t)syscall(SYS_gettid);
	while (!stop) {
		sleep_ms(5);
	}
	return NULL;
}

/* Blocks every signal too (so it is not dropped before it starts the late thread, which inherits
 * its capabilities), starts the late thread 100 ms in, exits 200 ms later. */
static void *spawner(void *arg)
{
	(void)arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	sleep_ms(100);
	pthread_t t;
	pthread_create(&t, NULL, late, NULL);
	sleep_ms(200);
	return NULL;
}

static void *driver(void *arg)
{
	(void)arg;
	sleep_ms(50); /* the leader has exited: a zombie */
	/* The threads start with every signal blocked (a new thread inherits its creator's mask), so
	 * none can answer a signal sent before it gets to run, however loaded the machine. */
	sigset_t all, before;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &before);
	pthread_t t;
	for (int i = 0; i < 4; i++) {
		pthread_create(&t, NULL, blocker, NULL);
	}
	pthread_create(&t, NULL, spawner, NULL);
	pthread_sigmask(SIG_SETMASK, &before, NULL);
	sleep_ms(20);
	printf("self %ld\nleader %ld\n", (long)syscall(SYS_gettid), (long)getpid());
	static struct aiprof_capdrop_thread out[AIPROF_CAPDROP_MAX_THREADS];
	int32_t sig;
	int n = aiprof_capdrop_all(0, 3000, out, AIPROF_CAPDROP_MAX_THREADS, &sig);
	printf("late %ld\n", (long)late_tid);
	for (int i = 0; i < n; i++) {
		printf("thread %d %d %d\n", out[i].tid, out[i].state, out[i].err);
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/status", (int)late_tid);
	FILE *f = fopen(path, "r");
	char line[256];
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "CapEff:", 7) == 0) {
			printf("late_capeff %s", line + 8);
		}
	}
	if (f != NULL) {
		fclose(f);
	}
	printf("n %d\n", n);
	fflush(stdout);
	stop = 1;
	_exit(0);
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, driver, NULL);
	pthread_exit(NULL);
}
