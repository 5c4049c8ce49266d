/* Waits for a line on stdin, makes N getppid system calls (N = argv[1]), prints "done", and waits
 * for stdin to close: a workload whose count of one rare syscall the test knows exactly. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100;
  char line[64];
  printf("ready\n");
  fflush(stdout);
  if (!fgets(line, sizeof line, stdin)) {
    return 1;
  }
  for (long i = 0; i < n; i++) {
    syscall(SYS_getppid);
  }
  printf("done\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
  }
  return 0;
}
