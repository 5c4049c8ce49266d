/*
 * Two threads, each with a request containing three steps containing an I/O
 * phase (depths 0, 1, 2). Waits for "go" before any marker call and for "exit"
 * before exiting, so the test can attach first and inspect the live process after.
 */
#define _GNU_SOURCE /* gettid */
#include <pthread.h>

#include "aiprof.h"
#include "trace.h"

static void *worker(void *arg)
{
	const char *request = arg;

	TRACED("begin", request, "marker", aiprof_phase_begin(request));
	for (int i = 0; i < 3; i++) {
		TRACED("begin", "step", "marker", aiprof_phase_begin("step"));
		TRACED("begin", "io", "marker", aiprof_phase_begin("io"));
		sleep_ms(2);
		TRACED("end", "io", "marker", aiprof_phase_end());
		sleep_ms(1);
		TRACED("end", "step", "marker", aiprof_phase_end());
	}
	TRACED("end", request, "marker", aiprof_phase_end());
	return NULL;
}

int main(void)
{
	pthread_t a, b;

	printf("pid=%d abi=%d\n", getpid(), aiprof_abi_version());
	handshake("ready", "go");
	pthread_create(&a, NULL, worker, "request-a");
	pthread_create(&b, NULL, worker, "request-b");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	handshake("done", "exit");
	return 0;
}
