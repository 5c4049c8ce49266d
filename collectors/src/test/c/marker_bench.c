/*
 * Cost of a marker call: on each "run" line from stdin, times N begin/end pairs
 * (N from argv[1]) and prints "pairs=<N> ns=<elapsed>"; "exit" ends it.
 */
#define _GNU_SOURCE /* gettid */
#include <stdlib.h>

#include "aiprof.h"
#include "trace.h"

int main(int argc, char **argv)
{
	long pairs = argc > 1 ? atol(argv[1]) : 1000000;
	char line[64];

	printf("pid=%d abi=%d\nready\n", getpid(), aiprof_abi_version());
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin) && strncmp(line, "exit", 4) != 0) {
		long long t0 = now_ns();

		for (long i = 0; i < pairs; i++) {
			aiprof_phase_begin("bench");
			aiprof_phase_end();
		}
		printf("pairs=%ld ns=%lld\n", pairs, now_ns() - t0);
		fflush(stdout);
	}
	return 0;
}
