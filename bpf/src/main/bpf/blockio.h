/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The block I/O probe's ABI: every struct and constant that crosses between blockio.bpf.c and the
 * Java side lives here, and only here. The Java mirror in dev.aiprof.bpf.blockio is tested against
 * this file's BTF (BlockIoLayoutTest).
 */
#ifndef AIPROF_BLOCKIO_H
#define AIPROF_BLOCKIO_H

enum blockio_limits {
	/* log2 histogram of nanoseconds: slot i counts [2^i, 2^(i+1)) ns, the last slot is open. */
	BLOCKIO_HIST_SLOTS = 40,
	/* Length of the per-CPU counters array. */
	BLOCKIO_COUNTERS = 10,
};

/* What a request does: from the request's operation (REQ_OP_*). */
enum blockio_dir {
	BLOCKIO_DIR_READ = 0,
	BLOCKIO_DIR_WRITE = 1,
	BLOCKIO_DIR_FLUSH = 2,
	BLOCKIO_DIR_DISCARD = 3, /* discard, secure erase, write zeroes */
	BLOCKIO_DIR_OTHER = 4,   /* zone management, driver-private */
	BLOCKIO_DIRS = 5,
};

/*
 * Who the request is for. A user thread's requests are its own (readahead named apart); a kernel
 * thread's (writeback flushers, journal threads, loop and dm workers) are charged to the cgroup the
 * kernel itself charges, the bio's blkcg, when that is a cgroup v2 group other than the root, and
 * are never charged to the task that happened to be running.
 */
enum blockio_origin {
	BLOCKIO_ORIGIN_TASK = 0,      /* a user thread, in its own context */
	BLOCKIO_ORIGIN_READAHEAD = 1, /* a user thread's readahead (REQ_RAHEAD) */
	BLOCKIO_ORIGIN_WRITEBACK = 2, /* a kernel thread writing (dirty pages, journal) */
	BLOCKIO_ORIGIN_KERNEL = 3,    /* a kernel thread's other requests */
	BLOCKIO_ORIGINS = 4,
};

/* Bits of blockio_event.flags. */
enum blockio_event_flag {
	BLOCKIO_EVENT_FOLLOWED = 1, /* issued by a thread of a followed process */
	BLOCKIO_EVENT_SLOW = 2,     /* took at least slow_ns from start to completion */
	BLOCKIO_EVENT_QUEUED = 4,   /* its start (block_io_start or insert) was seen: start_ts is set */
	BLOCKIO_EVENT_ISSUED = 8,   /* its issue was seen: issue_ts is set */
	BLOCKIO_EVENT_ERROR = 16,   /* completed with an error */
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum blockio_counter {
	BLOCKIO_CNT_EVENTS = 0,         /* events submitted to the ring buffer */
	BLOCKIO_CNT_EVENTS_DROPPED = 1, /* ring buffer full: event not sent (still counted in stats) */
	BLOCKIO_CNT_INFLIGHT_FULL = 2,  /* `inflight` could not take a request: it goes uncounted */
	BLOCKIO_CNT_STATS_FULL = 3,     /* `stats` could not take a new series: request uncounted */
	BLOCKIO_CNT_UNMATCHED = 4,      /* a completion of a request never seen starting (pre-attach) */
	BLOCKIO_CNT_REISSUED = 5,       /* a request issued again (requeued) before it completed */
	BLOCKIO_CNT_COMPLETED = 6,      /* requests counted */
	BLOCKIO_CNT_KERNEL = 7,         /* of those, issued by kernel threads */
	BLOCKIO_CNT_KERNEL_CHARGED = 8, /* of those, charged to a cgroup through the bio's blkcg */
	BLOCKIO_CNT_FINISHED_AT_DONE = 9, /* finished at block_io_done: its last completion missed */
};

/* Key of `stats`: one workload's requests on one device in one direction, by origin. */
struct blockio_key {
	__u64 cgroup_id;    /* cgroup v2 id (for kernel threads: the charged blkcg's, else theirs) */
	__u64 cgroup_v1_id; /* v1 memory-cgroup id of the issuing thread (0: none, kernel threads) */
	__u32 dev;          /* the disk, as the kernel's dev_t: major << 20 | minor */
	__u8 dir;           /* enum blockio_dir */
	__u8 origin;        /* enum blockio_origin */
	__u8 pad[2];
};

/* Values of `stats`: cumulative since load. */
struct blockio_stats {
	__u64 requests;
	__u64 bytes;
	__u64 queued;     /* requests whose queue time was measured (start seen before issue) */
	__u64 queue_ns;   /* their total time from start to issue */
	__u64 issued;     /* requests whose service time was measured (issue seen) */
	__u64 service_ns; /* their total time from issue to completion */
	__u64 queue_hist[BLOCKIO_HIST_SLOTS];
	__u64 service_hist[BLOCKIO_HIST_SLOTS];
};

/*
 * A request in flight (values of `inflight`, key: the request's address), captured where it
 * starts: block_io_start where the kernel has it, else block_rq_insert, else block_rq_issue.
 */
struct blockio_req {
	__u64 start_ts; /* 0: not seen before issue (issued directly, without io_start or insert) */
	__u64 issue_ts; /* 0: not issued yet */
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 bytes;    /* completed so far (block_rq_complete's nr_bytes) */
	__u32 pid;
	__u32 tid;
	__u32 dev;
	__u8 dir;
	__u8 origin;
	__u8 followed;
	__u8 error;
	__u8 charged; /* a kernel thread's request, charged to cgroup_id through the bio's blkcg */
	__u8 pad[3];
};

/* One request of a followed thread, or one slower than slow_ns: sent when it completes. */
struct blockio_event {
	__u64 start_ts; /* CLOCK_MONOTONIC; when not QUEUED, equal to issue_ts */
	__u64 issue_ts; /* when not ISSUED, equal to end_ts */
	__u64 end_ts;
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u64 bytes;
	__u32 pid;
	__u32 tid;
	__u32 dev;
	__u8 dir;
	__u8 origin;
	__u8 flags; /* enum blockio_event_flag */
	__u8 pad;
};

#endif /* AIPROF_BLOCKIO_H */
