/*
 * O_DIRECT block I/O inside marker phases, on a device the test owns: phase "io-step" writes
 * WRITES blocks of WRITE_BYTES then reads READS blocks of READ_BYTES, each pwrite/pread one block
 * request; phase "idle-step" (30 ms of sleep, no I/O) follows. Links libaiprof.so. Prints the
 * fixture.h protocol lines plus "phase <tid> <name> <start_ns> <end_ns>" around each phase and
 * "io <tid> <reads> <read_bytes> <writes> <write_bytes>" after the I/O.
 * With a sixth argument "exit", the process prints "done" and exits (_exit: every thread at once)
 * right after "io-step" ends: no idle phase, no wait for "exit".
 * Usage: blockio_direct DEVICE READS READ_BYTES WRITES WRITE_BYTES [exit]
 */
#include "fixture.h"
#include <aiprof.h>
#include <fcntl.h>

static const char *device;
static int reads, writes;
static long read_bytes, write_bytes;
static int exit_after; /* exit right after the I/O phase ends */

static void io_step(void)
{
	void *buf;
	long size = read_bytes > write_bytes ? read_bytes : write_bytes;
	int fd = open(device, O_RDWR | O_DIRECT);

	if (fd < 0 || posix_memalign(&buf, 4096, size)) {
		perror(device);
		exit(4);
	}
	memset(buf, 0x5a, size);
	for (int i = 0; i < writes; i++)
		if (pwrite(fd, buf, write_bytes, (off_t)i * write_bytes) != write_bytes)
			exit(5);
	for (int i = 0; i < reads; i++)
		if (pread(fd, buf, read_bytes, (off_t)i * read_bytes) != read_bytes)
			exit(6);
	close(fd);
	free(buf);
	SAY("io %d %d %ld %d %ld\n", gettid(), reads, reads * read_bytes, writes,
	    writes * write_bytes);
}

static void idle_step(void) { usleep(30000); }

static void phase(const char *name, void (*body)(void))
{
	unsigned long long start = mono_ns(), end;

	aiprof_phase_begin(name);
	body();
	aiprof_phase_end();
	end = mono_ns();
	SAY("phase %d %s %llu %llu\n", gettid(), name, start, end);
}

static void *body(void *arg)
{
	(void)arg;
	SAY("thread 0 %d\n", gettid());
	phase("io-step", io_step);
	if (exit_after) {
		SAY("done\n");
		_exit(0);
	}
	phase("idle-step", idle_step);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 6 && !(argc == 7 && !strcmp(argv[6], "exit")))
		return 2;
	exit_after = argc == 7;
	device = argv[1];
	reads = atoi(argv[2]);
	read_bytes = atol(argv[3]);
	writes = atoi(argv[4]);
	write_bytes = atol(argv[5]);
	return run_threads(1, body);
}
