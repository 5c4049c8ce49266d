/*
 * File-I/O steps on command, for the fileio probe's and collector's tests. Prints "ready", then
 * runs one command per stdin line and answers "did <command> <value> <start_ns> <end_ns>"
 * (CLOCK_MONOTONIC around the step), after 40 ms of quiet so that the next step's I/O falls in
 * another 16.8 ms slot:
 *
 *   cold PATH        fsync + POSIX_FADV_DONTNEED, then read(2) 64 KiB at a time to EOF; value: bytes
 *   warm PATH        the same file again, half by pread64(2), half by preadv(2); value: bytes
 *   mmap PATH        fsync + DONTNEED, mmap (MADV_RANDOM) and touch a byte of every page; value: pages
 *   write PATH BYTES write(2) BYTES in 64 KiB chunks to a new file; value: bytes
 *   exit
 *
 * With -DAIPROF_MARKER (linked to libaiprof.so) each step is a marker phase named after it
 * ("cold-read", "warm-read", "mmap-read", "write").
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#ifdef AIPROF_MARKER
#include <aiprof.h>
#define BEGIN(name) aiprof_phase_begin(name)
#define END() aiprof_phase_end()
#else
#define BEGIN(name) ((void)0)
#define END() ((void)0)
#endif

#define CHUNK (64 << 10)

static char buf[CHUNK];

static unsigned long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

static int open_cold(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return fd;
}

static long long cold(const char *path)
{
	int fd = open_cold(path);
	long long total = 0;
	ssize_t n;

	BEGIN("cold-read");
	while ((n = read(fd, buf, CHUNK)) > 0)
		total += n;
	END();
	close(fd);
	return total;
}

static long long warm(const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	long long total = 0, half;
	ssize_t n;

	fstat(fd, &st);
	half = st.st_size / 2;
	BEGIN("warm-read");
	while (total < half && (n = pread(fd, buf, CHUNK, total)) > 0)
		total += n;
	for (;;) {
		struct iovec v[2] = { { buf, CHUNK / 2 }, { buf + CHUNK / 2, CHUNK / 2 } };

		n = preadv(fd, v, 2, total);
		if (n <= 0)
			break;
		total += n;
	}
	END();
	close(fd);
	return total;
}

static long long mapped(const char *path)
{
	int fd = open_cold(path);
	long page = sysconf(_SC_PAGESIZE);
	struct stat st;
	volatile unsigned char sum = 0;
	unsigned char *p;
	long long pages = 0;

	fstat(fd, &st);
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	madvise(p, st.st_size, MADV_RANDOM); /* no readahead: every page a major fault */
	BEGIN("mmap-read");
	for (off_t o = 0; o < st.st_size; o += page, pages++)
		sum += p[o];
	END();
	munmap(p, st.st_size);
	close(fd);
	return pages;
}

static long long write_file(const char *path, long long bytes)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	long long total = 0;
	ssize_t n;

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	memset(buf, 'w', CHUNK);
	BEGIN("write");
	while (total < bytes) {
		n = write(fd, buf, bytes - total < CHUNK ? bytes - total : CHUNK);
		if (n <= 0)
			break;
		total += n;
	}
	END();
	close(fd);
	return total;
}

int main(void)
{
	char line[4200], path[4096];
	long long bytes, value;
	unsigned long long start, end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	while (fgets(line, sizeof(line), stdin)) {
		char cmd[16];

		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "exit"))
			return 0;
		bytes = 0;
		if (sscanf(line, "%15s %4095s %lld", cmd, path, &bytes) < 2) {
			printf("bad %s\n", line);
			continue;
		}
		start = mono_ns();
		if (!strcmp(cmd, "cold"))
			value = cold(path);
		else if (!strcmp(cmd, "warm"))
			value = warm(path);
		else if (!strcmp(cmd, "mmap"))
			value = mapped(path);
		else if (!strcmp(cmd, "write"))
			value = write_file(path, bytes);
		else {
			printf("bad %s\n", line);
			continue;
		}
		end = mono_ns();
		usleep(40000);
		printf("did %s %lld %llu %llu\n", cmd, value, start, end);
	}
	return 0;
}
