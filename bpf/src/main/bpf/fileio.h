/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The file-I/O probe's ABI: every struct and constant that crosses between fileio.bpf.c and the
 * Java side lives here, and only here. The Java mirror in dev.aiprof.bpf.fileio is tested against
 * this file's BTF (FileIoLayoutTest).
 */
#ifndef AIPROF_FILEIO_H
#define AIPROF_FILEIO_H

enum fileio_limits {
	/* log2 histogram of nanoseconds: slot i counts [2^i, 2^(i+1)) ns, the last slot is open. */
	FILEIO_HIST_SLOTS = 40,
	/* Length of the per-CPU counters array. */
	FILEIO_COUNTERS = 8,
	/* iovecs of a vector read summed for its requested range (the rest: readahead unknown). */
	FILEIO_IOV_MAX = 16,
};

/* The syscall an operation came through. */
enum fileio_op {
	FILEIO_OP_READ = 0,
	FILEIO_OP_PREAD64 = 1,
	FILEIO_OP_READV = 2,
	FILEIO_OP_PREADV = 3,
	FILEIO_OP_PREADV2 = 4,
	FILEIO_OP_WRITE = 5,
	FILEIO_OP_PWRITE64 = 6,
	FILEIO_OP_WRITEV = 7,
	FILEIO_OP_PWRITEV = 8,
	FILEIO_OP_PWRITEV2 = 9,
	FILEIO_OPS = 10,
};

/* Why a page entered the page cache (mm_filemap_add_to_page_cache, in the adding task). */
enum fileio_cause {
	FILEIO_CAUSE_READ = 0,	    /* a read asked for it: a demand miss */
	FILEIO_CAUSE_READAHEAD = 1, /* a read brought it in beyond what it asked for */
	FILEIO_CAUSE_WRITE = 2,	    /* a write created it (not a miss: counted apart) */
	FILEIO_CAUSE_OTHER = 3,	    /* outside a read or write: mapped-file faults, fadvise, exec */
	FILEIO_CAUSES = 4,
};

/* The file an operation went to (only these are counted; sockets, pipes and the rest are not). */
enum fileio_file {
	FILEIO_FILE_REGULAR = 1,
	FILEIO_FILE_BLOCK = 2,
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum fileio_counter {
	FILEIO_CNT_EVENTS = 0,	       /* slow-read events submitted to the ring buffer */
	FILEIO_CNT_EVENTS_DROPPED = 1, /* ring buffer full: event not sent (the read is counted) */
	FILEIO_CNT_STATS_FULL = 2,     /* `stats` could not take a new process: not counted */
	FILEIO_CNT_SLOTS_FULL = 3,     /* `slots` could not take a new entry: not in any phase */
	FILEIO_CNT_STATE_MISSING = 4,  /* no per-thread state (task storage): not counted */
	FILEIO_CNT_OTHER_FILES =
	    5, /* reads and writes of other files (sockets, pipes...) skipped */
	FILEIO_CNT_MAJOR_FAULTS = 6, /* major faults seen (the perf event fired) */
	FILEIO_CNT_UNMATCHED_EXIT =
	    7, /* a syscall exit whose entry was not seen (attached mid-call) */
};

/*
 * Key of `stats`: one process in one workload (cgroup v2 id + v1 memory-cgroup id). A process is
 * its pid and its start: a new process under a reused pid gets entries of its own.
 */
struct fileio_key {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 proc_start_ns; /* the thread-group leader's start_boottime (CLOCK_BOOTTIME ns) */
	__u32 pid;
	__u32 pad;
};

/* Values of `stats`: cumulative, reads and writes of regular files and block devices only. */
struct fileio_stats {
	__u64 read_hist[FILEIO_HIST_SLOTS]; /* read latency, log2 ns (entry to exit) */
	__u64 reads;
	__u64 read_bytes;
	__u64 read_ns;
	__u64 writes;
	__u64 write_bytes;
	__u64 write_ns;
	__u64 pages[FILEIO_CAUSES]; /* pages added to the page cache by this process, by cause */
	__u64 major_faults;
	__u64 slow_reads; /* reads of at least slow_read_ns */
};

/*
 * Key of `slots`: one thread of a followed process in one time slot of 2^slot_shift ns of
 * CLOCK_MONOTONIC (ts >> slot_shift). User space reads and deletes slots that have ended.
 */
struct fileio_slot_key {
	__u64 slot;
	__u32 tid;
	__u32 pad;
};

/* Values of `slots`: cumulative within the slot; operations count at their exit. */
struct fileio_slot {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 reads;
	__u64 read_bytes;
	__u64 read_ns;
	__u64 writes;
	__u64 write_bytes;
	__u64 misses;	 /* pages added by cause read, readahead or other */
	__u64 readahead; /* of which readahead */
	__u64 major_faults;
	__u64 first_ts; /* the slot's first counted thing */
	__u64 last_ts;	/* its last: everything of the entry lies in [first_ts, last_ts] */
	__u64 proc_start_ns; /* the process's start, as in fileio_key */
	__u32 pid;
	__u32 pad;
};

/* One read of at least slow_read_ns, stamped by the kernel at the syscall's entry and exit. */
struct fileio_event {
	__u64 start_ts;
	__u64 end_ts;
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 ino; /* the file's inode number */
	__u64 pos; /* the offset it read at */
	__s64 ret; /* bytes read, or -errno */
	__u64 proc_start_ns; /* the process's start, as in fileio_key */
	__u32 dev; /* the file's device: the kernel's dev_t (major << 20 | minor) */
	__u32 pid;
	__u32 tid;
	__u8 op;   /* enum fileio_op */
	__u8 file; /* enum fileio_file */
	__u8 followed;
	__u8 pad;
};

#endif /* AIPROF_FILEIO_H */
