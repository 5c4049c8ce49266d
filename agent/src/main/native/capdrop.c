/*
 * A process-wide capability drop: see capdrop.h. Everything the signal handler does is
 * async-signal-safe (raw syscalls, atomics, errno saved and restored); the rest runs on the
 * caller's thread.
 */
#define _GNU_SOURCE
#include "capdrop.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <linux/capability.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))
#define MAX AIPROF_CAPDROP_MAX_THREADS
/* Enumerations of /proc/self/task at most, and how many in a row must find no new thread. */
#define MAX_ROUNDS 64
#define QUIET_ROUNDS 2

/* One word per slot, so that the handler's answer is one compare-and-swap:
 * generation << 32 | err << 8 | state. A late handler of an earlier call cannot overwrite a
 * slot of a later call: its generation differs. */
static _Atomic uint64_t slot_word[MAX];
static int32_t slot_tid[MAX];
/* Each slot's thread's start time (field 22 of its stat, clock ticks since boot): a tid the kernel
 * reuses for a new thread while the drop runs is told apart from the one that had it. */
static uint64_t slot_start[MAX];
static _Atomic uint32_t generation;
static _Atomic uint64_t keep_mask;
static pthread_mutex_t one_call = PTHREAD_MUTEX_INITIALIZER;

static uint64_t word(uint32_t gen, int err, int state)
{
	return (uint64_t)gen << 32 | (uint64_t)(uint32_t)err << 8 | (uint64_t)state;
}

static int word_state(uint64_t w)
{
	return (int)(w & 0xff);
}

static int word_err(uint64_t w)
{
	return (int)((w >> 8) & 0xffffff);
}

/* The calling thread keeps only `keep`; 0 or the errno of the syscall that failed. */
static int drop_self(uint64_t keep)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) < 0) {
		return errno;
	}
	uint64_t eff = d[0].effective | (uint64_t)d[1].effective << 32;
	uint64_t prm = (d[0].permitted | (uint64_t)d[1].permitted << 32) & keep;
	if (syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL) { /* EINVAL: a kernel before 4.3 has no ambient set */
		return errno;
	}
	if (eff & (1ULL << CAP_SETPCAP)) {
		for (int c = 0; c < 64; c++) {
			if (keep & (1ULL << c)) {
				continue;
			}
			long in = syscall(SYS_prctl, PR_CAPBSET_READ, c, 0, 0, 0);
			if (in < 0) {
				break; /* EINVAL: beyond the kernel's last capability */
			}
			if (in == 1 && syscall(SYS_prctl, PR_CAPBSET_DROP, c, 0, 0, 0) < 0) {
				return errno;
			}
		}
	}
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = 0;
	d[0].effective = d[0].permitted = (uint32_t)prm;
	d[1].effective = d[1].permitted = (uint32_t)(prm >> 32);
	d[0].inheritable = d[1].inheritable = 0;
	if (syscall(SYS_capset, &h, d) < 0) {
		return errno;
	}
	return 0;
}

static void on_signal(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)context;
	int saved = errno;
	if (info->si_code == SI_QUEUE && info->si_pid == getpid()) {
		uint64_t v = (uint64_t)(uintptr_t)info->si_value.sival_ptr;
		uint32_t gen = (uint32_t)(v >> 32);
		uint32_t slot = (uint32_t)v;
		if (slot < MAX && gen == atomic_load(&generation)) {
			int err = drop_self(atomic_load(&keep_mask));
			uint64_t expect = word(gen, 0, AIPROF_CAPDROP_PENDING);
			atomic_compare_exchange_strong(
			    &slot_word[slot], &expect,
			    word(gen, err, err ? AIPROF_CAPDROP_FAILED : AIPROF_CAPDROP_DROPPED));
		}
	}
	errno = saved;
}

static int send_to(pid_t tgid, pid_t tid, int sig, uint32_t gen, uint32_t slot)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = sig;
	si.si_code = SI_QUEUE;
	si.si_pid = tgid;
	si.si_uid = getuid();
	si.si_value.sival_ptr = (void *)(uintptr_t)((uint64_t)gen << 32 | slot);
	return syscall(SYS_rt_tgsigqueueinfo, tgid, tid, sig, &si) < 0 ? errno : 0;
}

/* The first candidate signal nobody handles or ignores; its disposition in *old. */
static int free_signal(struct sigaction *old)
{
	for (int i = 0; i < AIPROF_CAPDROP_SIGNAL_TRIES; i++) {
		int s = SIGRTMIN + AIPROF_CAPDROP_SIGNAL_OFFSET + i;
		if (s >= SIGRTMAX - 2) { /* SIGRTMAX-2 is HotSpot's */
			break;
		}
		if (sigaction(s, NULL, old) == 0 && !(old->sa_flags & SA_SIGINFO) &&
		    old->sa_handler == SIG_DFL) {
			return s;
		}
	}
	return -1;
}

/* Reads /proc/self/task/TID/stat: the state letter and the start time (field 22). 0, or -1 when
 * the thread is gone (no such file) or the line cannot be read. Runs on the caller's thread only
 * (open, read and close are async-signal-safe anyway). */
static int task_stat(int32_t tid, char *state, uint64_t *start)
{
	char path[48] = "/proc/self/task/";
	char digits[12];
	int nd = 0;
	for (uint32_t t = (uint32_t)tid; nd == 0 || t > 0; t /= 10) {
		digits[nd++] = (char)('0' + t % 10);
	}
	size_t at = strlen(path);
	while (nd > 0) {
		path[at++] = digits[--nd];
	}
	memcpy(path + at, "/stat", 6);
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	char buf[1024];
	ssize_t len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0) {
		return -1;
	}
	buf[len] = 0;
	char *p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
	if (p == NULL || p[1] != ' ') {
		return -1;
	}
	p += 2;
	*state = *p;
	/* Fields 3 (state) to 22 (starttime): 19 spaces on. */
	for (int f = 3; f < 22; f++) {
		p = strchr(p, ' ');
		if (p == NULL) {
			return -1;
		}
		p++;
	}
	uint64_t v = 0;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	*start = v;
	return 0;
}

/* Whether slot i's thread is gone: exited (ESRCH), a zombie or dead (Z, X: a group leader that
 * called pthread_exit stays a zombie until the process ends and never runs a handler), or its tid
 * now another thread's (a different start time). */
static int slot_gone(pid_t tgid, int i)
{
	if (syscall(SYS_tgkill, tgid, slot_tid[i], 0) < 0 && errno == ESRCH) {
		return 1;
	}
	char state;
	uint64_t start;
	if (task_stat(slot_tid[i], &state, &start) < 0) {
		return 1;
	}
	return state == 'Z' || state == 'X' || start != slot_start[i];
}

/* Marks slot i gone unless its thread answered meanwhile. */
static void mark_gone(uint32_t gen, int i)
{
	uint64_t expect = word(gen, 0, AIPROF_CAPDROP_PENDING);
	atomic_compare_exchange_strong(&slot_word[i], &expect, word(gen, 0, AIPROF_CAPDROP_GONE));
}

/* Whether (tid, start) has a slot; a slot of the same tid with another start time is a thread that
 * exited and whose tid was reused: marked gone. */
static int known(int n, int32_t tid, uint64_t start, uint32_t gen)
{
	int found = 0;
	for (int i = 0; i < n; i++) {
		if (slot_tid[i] != tid) {
			continue;
		}
		if (slot_start[i] == start) {
			found = 1;
		} else {
			mark_gone(gen, i);
		}
	}
	return found;
}

/* Adds and signals every thread not yet in the table; the number added, or -errno. */
static int signal_new(DIR *dir, int *n, int sig, uint32_t gen)
{
	pid_t tgid = getpid();
	int added = 0;
	rewinddir(dir);
	struct dirent *e;
	while ((e = readdir(dir)) != NULL && *n < MAX) {
		if (e->d_name[0] < '0' || e->d_name[0] > '9') {
			continue;
		}
		int32_t tid = (int32_t)strtol(e->d_name, NULL, 10);
		char state;
		uint64_t start;
		if (task_stat(tid, &state, &start) < 0) {
			continue; /* exited since readdir saw it */
		}
		if (known(*n, tid, start, gen)) {
			continue;
		}
		int slot = (*n)++;
		slot_tid[slot] = tid;
		slot_start[slot] = start;
		if (state == 'Z' || state == 'X') {
			/* A zombie (a group leader that called pthread_exit) runs no handler. */
			atomic_store(&slot_word[slot], word(gen, 0, AIPROF_CAPDROP_GONE));
			added++;
			continue;
		}
		atomic_store(&slot_word[slot], word(gen, 0, AIPROF_CAPDROP_PENDING));
		int err = send_to(tgid, tid, sig, gen, (uint32_t)slot);
		if (err) {
			atomic_store(
			    &slot_word[slot],
			    word(gen, err,
				 err == ESRCH ? AIPROF_CAPDROP_GONE : AIPROF_CAPDROP_NOT_SENT));
		}
		added++;
	}
	return added;
}

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Waits until no slot in [from, to) is pending, or the deadline; 1 when none is. A thread that
 * exits after it was signalled never answers (its pending signal dies with it): every 10th look
 * (about 1 ms) such slots are marked gone rather than waited for. */
static int await_answers(int from, int to, int64_t deadline, uint32_t gen)
{
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 100000};
	pid_t tgid = getpid();
	for (unsigned look = 1;; look++) {
		int pending = 0;
		for (int i = from; i < to; i++) {
			if (word_state(atomic_load(&slot_word[i])) != AIPROF_CAPDROP_PENDING) {
				continue;
			}
			if (look % 10 == 0 && slot_gone(tgid, i)) {
				mark_gone(gen, i);
				continue;
			}
			pending = 1;
		}
		if (!pending) {
			return 1;
		}
		if (now_ns() >= deadline) {
			return 0;
		}
		nanosleep(&pause, NULL);
	}
}

static int drop_all(uint64_t keep, int32_t timeout_ms, struct aiprof_capdrop_thread *out,
		    int32_t max_out, int32_t *signo)
{
	struct sigaction old;
	int sig = free_signal(&old);
	if (sig < 0) {
		return -EBUSY;
	}
	DIR *dir = opendir("/proc/self/task");
	if (dir == NULL) {
		return -errno;
	}
	uint32_t gen = atomic_fetch_add(&generation, 1) + 1;
	atomic_store(&keep_mask, keep);
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_sigaction = on_signal;
	act.sa_flags = SA_SIGINFO | SA_RESTART;
	/* As HotSpot's own handlers: every other signal waits while this one runs (so that, say,
	 * HotSpot's SIGUSR2 suspend never finds a thread inside it), but for the synchronous error
	 * signals, which must never be blocked. */
	sigfillset(&act.sa_mask);
	sigdelset(&act.sa_mask, SIGSEGV);
	sigdelset(&act.sa_mask, SIGBUS);
	sigdelset(&act.sa_mask, SIGFPE);
	sigdelset(&act.sa_mask, SIGILL);
	sigdelset(&act.sa_mask, SIGTRAP);
	if (sigaction(sig, &act, NULL) < 0) {
		int err = errno;
		closedir(dir);
		return -err;
	}
	int64_t timeout = (int64_t)timeout_ms * 1000000;
	int n = 1;
	slot_tid[0] = (int32_t)syscall(SYS_gettid);
	char self_state;
	if (task_stat(slot_tid[0], &self_state, &slot_start[0]) < 0) {
		slot_start[0] = 0;
	}
	int err = drop_self(keep);
	atomic_store(&slot_word[0],
		     word(gen, err, err ? AIPROF_CAPDROP_FAILED : AIPROF_CAPDROP_DROPPED));
	/* Each round waits for the threads it signalled, timeout_ms at most; once one round timed out
	 * (a live thread that does not answer: it blocks the signal), later rounds wait a tenth of it,
	 * so that threads started meanwhile are still signalled and the whole call stays bounded. */
	int quiet = 0;
	int timed_out = 0;
	for (int round = 0; round < MAX_ROUNDS && quiet < QUIET_ROUNDS; round++) {
		int from = n;
		int added = signal_new(dir, &n, sig, gen);
		quiet = added == 0 ? quiet + 1 : 0;
		int64_t deadline = now_ns() + (timed_out ? timeout / 10 : timeout);
		if (!await_answers(from, n, deadline, gen)) {
			timed_out = 1;
		}
	}
	closedir(dir);
	/* SIG_IGN discards the copies still pending on threads that never ran the handler; then the
	 * old disposition, so that a later signal of this number means what it meant before. */
	struct sigaction ignore;
	memset(&ignore, 0, sizeof ignore);
	ignore.sa_handler = SIG_IGN;
	sigaction(sig, &ignore, NULL);
	sigaction(sig, &old, NULL);
	pid_t tgid = getpid();
	int filled = n < max_out ? n : max_out;
	for (int i = 0; i < filled; i++) {
		uint64_t w = atomic_load(&slot_word[i]);
		int state = word_state(w);
		if (state == AIPROF_CAPDROP_PENDING) {
			state = i > 0 && slot_gone(tgid, i) ? AIPROF_CAPDROP_GONE
							    : AIPROF_CAPDROP_NO_ANSWER;
		}
		out[i].tid = slot_tid[i];
		out[i].state = state;
		out[i].err = word_err(w);
	}
	*signo = sig;
	return filled;
}

EXPORT int aiprof_capdrop_all(uint64_t keep, int32_t timeout_ms, struct aiprof_capdrop_thread *out,
			      int32_t max_out, int32_t *signo)
{
	if (out == NULL || signo == NULL || max_out < 1 || timeout_ms < 0) {
		return -EINVAL;
	}
	if (pthread_mutex_trylock(&one_call) != 0) {
		return -EALREADY;
	}
	int r = drop_all(keep, timeout_ms, out, max_out, signo);
	pthread_mutex_unlock(&one_call);
	return r;
}

EXPORT int32_t aiprof_capdrop_abi(void)
{
	return AIPROF_CAPDROP_ABI << 16 | (int32_t)sizeof(struct aiprof_capdrop_thread);
}
