/* Defines USDT probes (sys/sdt.h, with semaphores): aiprof_test:tick (two sites, fires always),
 * aiprof_test:guarded (fires only while its semaphore says a tracer is attached). Waits for a line on stdin, then fires tick N
 * times (argv[1]) and guarded N times when its semaphore is set, prints "done GUARDED_FIRED", and
 * waits for stdin to close. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short aiprof_test_tick_semaphore __attribute__((section(".probes"))) = 0;
unsigned short aiprof_test_guarded_semaphore __attribute__((section(".probes"))) = 0;

static __attribute__((noinline)) void other_site(long i) {
  DTRACE_PROBE1(aiprof_test, tick, i);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 10;
  char line[64];
  long guarded = 0;
  printf("ready\n");
  fflush(stdout);
  if (!fgets(line, sizeof line, stdin)) {
    return 1;
  }
  for (long i = 0; i < n; i++) {
    if (i % 2 == 0) {
      DTRACE_PROBE1(aiprof_test, tick, i);
    } else {
      other_site(i);
    }
    if (aiprof_test_guarded_semaphore) {
      DTRACE_PROBE1(aiprof_test, guarded, i);
      guarded++;
    }
  }
  printf("done %ld\n", guarded);
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
  }
  return 0;
}
