// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * File-I/O probe: reads and writes of regular files and block devices, page-cache misses and
 * major faults, per process and workload (cgroup v2 id + v1 memory-cgroup id), per thread and
 * time slot for followed processes, and slow reads as events with the file's device and inode.
 *
 * Reads and writes: the per-syscall tracepoints syscalls:sys_enter_X / sys_exit_X of read,
 * pread64, readv, preadv, preadv2 and the write family (the loader attaches those the host has).
 * At entry the fd's file is looked up in the current task's fd table and its inode mode read
 * (CO-RE); only S_IFREG and S_IFBLK are counted, anything else costs that lookup and no more.
 * The entry time, requested range and inode wait in task storage for the exit, which counts the
 * bytes returned and the latency.
 *
 * Page-cache misses: filemap:mm_filemap_add_to_page_cache runs in the task that adds the folio.
 * While that task is inside a read, a folio within the range it asked for is a demand miss and one
 * outside is readahead; inside a write it was created by the write; elsewhere (mapped-file faults,
 * fadvise, exec) it is "other".
 *
 * Major faults: a perf software event (PERF_COUNT_SW_PAGE_FAULTS_MAJ, period 1, one per CPU) runs
 * fileio_major_fault where the kernel accounts the fault (mm_account_fault, beside task->maj_flt),
 * in the faulting task: exact, and it costs nothing until a fault happens.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bits.h"
#include "fileio.h"
#include "fileio_kernel.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile __u32 self_tgid = 0;	      /* the agent: never measured */
const volatile __u64 slow_read_ns = 10000000; /* reads at least this long become events */
const volatile __u32 slot_shift = 24;	      /* slots of 2^slot_shift ns (16.8 ms) */
const volatile __u32 page_shift = 12;	      /* log2 of the page size */

/* The operation in flight on a thread, never seen by user space. */
struct fileio_task {
	__u64 start_ts;
	__u64 pos;	  /* a read's first byte */
	__u64 count;	  /* bytes it asked for (0: unknown) */
	__u64 inode;	  /* struct inode * of its file */
	__u32 follow_gen; /* follow_generation when `followed` was looked up (0: never) */
	__u8 op;	  /* enum fileio_op + 1; 0: none in flight */
	__u8 file;	  /* enum fileio_file */
	__u8 followed;
	__u8 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fileio_task);
} task_store SEC(".maps");

/* 16,384 processes; user space deletes exited ones (after folding them into their workload). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fileio_key);
	__type(value, struct fileio_stats);
} stats SEC(".maps");

/* 16,384 (thread, slot) entries of followed threads; user space deletes ended slots. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fileio_slot_key);
	__type(value, struct fileio_slot);
} slots SEC(".maps");

/* All zeros, never written: the source for new stats entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fileio_stats);
} zero_stats SEC(".maps");

/* The scheduler probe's follow maps, reused by fd when it runs. */
#include "follow.h"

/* counters, events, count() and the event submit path; wakeup_bytes is set by the loader. */
#define PROBE_COUNTERS FILEIO_COUNTERS
#define PROBE_RING_BYTES (256 << 10)
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct fileio_key *unused_key __attribute__((unused));
struct fileio_stats *unused_stats __attribute__((unused));
struct fileio_slot_key *unused_slot_key __attribute__((unused));
struct fileio_slot *unused_slot __attribute__((unused));
struct fileio_event *unused_event __attribute__((unused));
enum fileio_limits unused_limits __attribute__((unused));
enum fileio_op unused_op __attribute__((unused));
enum fileio_cause unused_cause __attribute__((unused));
enum fileio_file unused_file __attribute__((unused));
enum fileio_counter unused_counter __attribute__((unused));

static __always_inline bool is_read(__u8 op)
{
	return op < FILEIO_OP_WRITE;
}

/* The current task's v1 memory-cgroup id (0: none), by direct loads through its BTF pointer. */
static __always_inline __u64 cgroup_v1_id(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct cgroup_subsys_state *css;

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	css = t->cgroups->subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)];
	return css ? css->cgroup->kn->id : 0;
}

/*
 * When the current process started: its thread-group leader's start_boottime, which
 * /proc/PID/stat reports as starttime (in clock ticks). With the pid it names the process across
 * pid reuse.
 */
static __always_inline __u64 process_start_ns(void)
{
	struct task_struct___fileio *t = (void *)bpf_get_current_task_btf();

	return t->group_leader->start_boottime;
}

static __always_inline struct fileio_task *task_state(bool create)
{
	struct fileio_task *s = bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0,
						     create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);

	if (!s && create)
		count(FILEIO_CNT_STATE_MISSING);
	return s;
}

static __always_inline bool is_followed(struct fileio_task *s, __u32 pid)
{
	__u32 zero = 0, *gen = bpf_map_lookup_elem(&follow_generation, &zero);

	if (!gen)
		return false;
	if (s->follow_gen != *gen) {
		s->followed = bpf_map_lookup_elem(&followed, &pid) != NULL;
		s->follow_gen = *gen;
	}
	return s->followed;
}

/* The calling process's entry in `stats`, made on first use. */
static __always_inline struct fileio_stats *stats_of(__u32 pid)
{
	struct fileio_key key = {
	    .cgroup_id = bpf_get_current_cgroup_id(),
	    .cgroup_v1_id = cgroup_v1_id(),
	    .proc_start_ns = process_start_ns(),
	    .pid = pid,
	};
	struct fileio_stats *v = bpf_map_lookup_elem(&stats, &key);
	__u32 zero = 0;

	if (v)
		return v;
	v = bpf_map_lookup_elem(&zero_stats, &zero);
	if (!v)
		return NULL;
	bpf_map_update_elem(&stats, &key, v, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&stats, &key);
	if (!v)
		count(FILEIO_CNT_STATS_FULL);
	return v;
}

/* A followed thread's entry for the slot of now, made on first use (only this thread writes it). */
static __always_inline struct fileio_slot *slot_of(__u64 id, __u64 now)
{
	struct fileio_slot_key key = {.slot = now >> slot_shift, .tid = (__u32)id};
	struct fileio_slot *v = bpf_map_lookup_elem(&slots, &key);

	if (!v) {
		struct fileio_slot fresh = {
		    .cgroup_id = bpf_get_current_cgroup_id(),
		    .cgroup_v1_id = cgroup_v1_id(),
		    .first_ts = now,
		    .proc_start_ns = process_start_ns(),
		    .pid = id >> 32,
		};
		bpf_map_update_elem(&slots, &key, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&slots, &key);
		if (!v) {
			count(FILEIO_CNT_SLOTS_FULL);
			return NULL;
		}
	}
	v->last_ts = now;
	return v;
}

/*
 * The open file behind fd in the current task's table, or NULL: direct loads through the task's
 * BTF pointer down to the fd array, one read of its slot.
 */
static __always_inline struct file___fileio *file_of(__u64 fd)
{
	struct task_struct___fileio *t = (void *)bpf_get_current_task_btf();
	struct fdtable___fileio *fdt = t->files->fdt;
	struct file___fileio **fds, *f = NULL;

	if (!fdt || fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 0xffffffff]))
		return NULL;
	return f;
}

static __always_inline __u8 file_kind(struct inode___fileio *inode)
{
	unsigned short mode = inode ? BPF_CORE_READ(inode, i_mode) : 0;

	if ((mode & S_IFMT) == S_IFREG)
		return FILEIO_FILE_REGULAR;
	if ((mode & S_IFMT) == S_IFBLK)
		return FILEIO_FILE_BLOCK;
	return 0;
}

/* Bytes a vector read asks for: the sum of its first FILEIO_IOV_MAX iovecs (0: more, unknown). */
static __always_inline __u64 iov_bytes(const struct iovec___fileio *iov, __u64 n)
{
	struct iovec___fileio v;
	__u64 sum = 0;

	if (n > FILEIO_IOV_MAX)
		return 0;
	for (int i = 0; i < FILEIO_IOV_MAX; i++) {
		if (i >= n)
			break;
		if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			return 0;
		sum += v.iov_len;
	}
	return sum;
}

/*
 * Entry of a read or write of fd: remembers it when fd is a regular file or a block device. A read
 * at pos ~0 (read, readv, or preadv2 with offset -1) reads at the file's position.
 */
static __always_inline int enter(__u8 op, __u64 fd, __u64 pos, __u64 bytes)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct file___fileio *f;
	struct inode___fileio *inode;
	struct fileio_task *s;
	__u8 kind;

	if ((id >> 32) == self_tgid)
		return 0;
	f = file_of(fd);
	inode = f ? BPF_CORE_READ(f, f_inode) : NULL;
	kind = file_kind(inode);
	if (!kind) {
		/* Not a file: forget an earlier entry whose exit was not seen, or this call's exit
		 * would be counted as that file's. */
		s = task_state(false);
		if (s)
			s->op = 0;
		count(FILEIO_CNT_OTHER_FILES);
		return 0;
	}
	s = task_state(true);
	if (!s)
		return 0;
	s->op = op + 1;
	s->file = kind;
	s->inode = (__u64)inode;
	if (is_read(op)) {
		s->pos = pos == ~0ULL ? BPF_CORE_READ(f, f_pos) : pos;
		s->count = bytes;
	}
	s->start_ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline void slow_read(struct fileio_task *s, __u64 id, __u8 op, __u64 now, long ret,
				      bool follow)
{
	struct inode___fileio *inode = (void *)s->inode;
	struct fileio_event *e = reserve_event(sizeof(*e), FILEIO_CNT_EVENTS_DROPPED);

	if (!e)
		return;
	e->start_ts = s->start_ts;
	e->end_ts = now;
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->cgroup_v1_id = cgroup_v1_id();
	e->ino = BPF_CORE_READ(inode, i_ino);
	e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
	e->pos = s->pos;
	e->ret = ret;
	e->proc_start_ns = process_start_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->op = op;
	e->file = s->file;
	e->followed = follow;
	e->pad = 0;
	submit_event(e, FILEIO_CNT_EVENTS);
}

/*
 * Exit of syscall `want`: counts what its entry remembered. An entry of another syscall (its exit
 * missed, as when the probe attached between the two) is dropped and counted, never counted here.
 */
static __always_inline int leave(long ret, __u8 want)
{
	bool read = is_read(want);
	__u64 id = bpf_get_current_pid_tgid(), now, ns;
	struct fileio_task *s = task_state(false);
	struct fileio_stats *st;
	bool follow;
	__u8 op;

	if (!s || !s->op)
		return 0;
	op = s->op - 1;
	s->op = 0;
	if (op != want) {
		count(FILEIO_CNT_UNMATCHED_EXIT);
		return 0;
	}
	if (ret < 0)
		return 0; /* failed: nothing moved */
	now = bpf_ktime_get_ns();
	ns = now - s->start_ts;
	follow = is_followed(s, id >> 32);
	st = stats_of(id >> 32);
	if (st) {
		if (read) {
			__sync_fetch_and_add(&st->read_hist[log2_slot(ns, FILEIO_HIST_SLOTS)], 1);
			__sync_fetch_and_add(&st->reads, 1);
			__sync_fetch_and_add(&st->read_bytes, ret);
			__sync_fetch_and_add(&st->read_ns, ns);
			if (ns >= slow_read_ns)
				__sync_fetch_and_add(&st->slow_reads, 1);
		} else {
			__sync_fetch_and_add(&st->writes, 1);
			__sync_fetch_and_add(&st->write_bytes, ret);
			__sync_fetch_and_add(&st->write_ns, ns);
		}
	}
	if (follow) {
		struct fileio_slot *v = slot_of(id, now);

		if (v && read) {
			v->reads += 1;
			v->read_bytes += ret;
			v->read_ns += ns;
		} else if (v) {
			v->writes += 1;
			v->write_bytes += ret;
		}
	}
	if (read && ns >= slow_read_ns)
		slow_read(s, id, op, now, ret, follow);
	return 0;
}

/* ---- reads ---- */

SEC("tracepoint/syscalls/sys_enter_read")
int fileio_enter_read(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_READ, ctx->args[0], ~0ULL, ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_pread64")
int fileio_enter_pread64(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PREAD64, ctx->args[0], ctx->args[3], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_enter_readv")
int fileio_enter_readv(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_READV, ctx->args[0], ~0ULL,
		     iov_bytes((void *)ctx->args[1], ctx->args[2]));
}

/* preadv(fd, iov, iovcnt, pos_l, pos_h): on 64-bit hosts pos_l is the whole offset. */
SEC("tracepoint/syscalls/sys_enter_preadv")
int fileio_enter_preadv(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PREADV, ctx->args[0], ctx->args[3],
		     iov_bytes((void *)ctx->args[1], ctx->args[2]));
}

SEC("tracepoint/syscalls/sys_enter_preadv2")
int fileio_enter_preadv2(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PREADV2, ctx->args[0], ctx->args[3],
		     iov_bytes((void *)ctx->args[1], ctx->args[2]));
}

SEC("tracepoint/syscalls/sys_exit_read")
int fileio_exit_read(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_READ);
}

SEC("tracepoint/syscalls/sys_exit_pread64")
int fileio_exit_pread64(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PREAD64);
}

SEC("tracepoint/syscalls/sys_exit_readv")
int fileio_exit_readv(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_READV);
}

SEC("tracepoint/syscalls/sys_exit_preadv")
int fileio_exit_preadv(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PREADV);
}

SEC("tracepoint/syscalls/sys_exit_preadv2")
int fileio_exit_preadv2(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PREADV2);
}

/* ---- writes ---- */

SEC("tracepoint/syscalls/sys_enter_write")
int fileio_enter_write(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_WRITE, ctx->args[0], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_pwrite64")
int fileio_enter_pwrite64(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PWRITE64, ctx->args[0], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_writev")
int fileio_enter_writev(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_WRITEV, ctx->args[0], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_pwritev")
int fileio_enter_pwritev(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PWRITEV, ctx->args[0], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_pwritev2")
int fileio_enter_pwritev2(struct syscall_enter_ctx *ctx)
{
	return enter(FILEIO_OP_PWRITEV2, ctx->args[0], 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_write")
int fileio_exit_write(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_WRITE);
}

SEC("tracepoint/syscalls/sys_exit_pwrite64")
int fileio_exit_pwrite64(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PWRITE64);
}

SEC("tracepoint/syscalls/sys_exit_writev")
int fileio_exit_writev(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_WRITEV);
}

SEC("tracepoint/syscalls/sys_exit_pwritev")
int fileio_exit_pwritev(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PWRITEV);
}

SEC("tracepoint/syscalls/sys_exit_pwritev2")
int fileio_exit_pwritev2(struct syscall_exit_ctx *ctx)
{
	return leave(ctx->ret, FILEIO_OP_PWRITEV2);
}

/* ---- page cache and faults ---- */

static __always_inline __u8 cause_of(struct fileio_task *s, __u64 index, __u64 pages)
{
	__u64 first, last;
	__u8 op;

	if (!s || !s->op)
		return FILEIO_CAUSE_OTHER;
	op = s->op - 1;
	if (!is_read(op))
		return FILEIO_CAUSE_WRITE;
	if (!s->count)
		return FILEIO_CAUSE_READ;
	first = s->pos >> page_shift;
	last = (s->pos + s->count - 1) >> page_shift;
	return index + pages <= first || index > last ? FILEIO_CAUSE_READAHEAD : FILEIO_CAUSE_READ;
}

SEC("tracepoint/filemap/mm_filemap_add_to_page_cache")
int fileio_page_add(struct trace_event_raw_mm_filemap_op_page_cache *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), pages = 1;
	struct fileio_task *s;
	struct fileio_stats *st;
	__u8 cause;

	if ((id >> 32) == self_tgid || (__u32)id == 0)
		return 0;
	if (bpf_core_field_exists(ctx->order))
		pages = 1ULL << (BPF_CORE_READ(ctx, order) & 15);
	s = task_state(false);
	cause = cause_of(s, BPF_CORE_READ(ctx, index), pages);
	st = stats_of(id >> 32);
	if (st)
		__sync_fetch_and_add(&st->pages[cause & (FILEIO_CAUSES - 1)], pages);
	if (cause != FILEIO_CAUSE_WRITE && s && is_followed(s, id >> 32)) {
		struct fileio_slot *v = slot_of(id, bpf_ktime_get_ns());

		if (v) {
			v->misses += pages;
			if (cause == FILEIO_CAUSE_READAHEAD)
				v->readahead += pages;
		}
	}
	return 0;
}

SEC("perf_event")
int fileio_major_fault(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct fileio_task *s;
	struct fileio_stats *st;

	if ((id >> 32) == self_tgid || (__u32)id == 0)
		return 0;
	count(FILEIO_CNT_MAJOR_FAULTS);
	st = stats_of(id >> 32);
	if (st)
		__sync_fetch_and_add(&st->major_faults, 1);
	s = task_state(true);
	if (s && is_followed(s, id >> 32)) {
		struct fileio_slot *v = slot_of(id, bpf_ktime_get_ns());

		if (v)
			v->major_faults += 1;
	}
	return 0;
}
