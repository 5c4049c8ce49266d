/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel types only the file-I/O probe reads, as CO-RE flavours (the ___fileio suffix is
 * dropped when libbpf matches them against the kernel's BTF), so that kernel.h's own declarations
 * stay untouched. Only fileio.bpf.c includes it.
 */
#ifndef AIPROF_FILEIO_KERNEL_H
#define AIPROF_FILEIO_KERNEL_H

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct super_block___fileio {
	__u32 s_dev; /* dev_t */
};

struct inode___fileio {
	unsigned short i_mode;
	unsigned long i_ino;
	struct super_block___fileio *i_sb;
};

struct file___fileio {
	struct inode___fileio *f_inode;
	long long f_pos;
};

struct fdtable___fileio {
	unsigned int max_fds;
	struct file___fileio **fd;
};

struct files_struct___fileio {
	struct fdtable___fileio *fdt;
};

struct task_struct___fileio {
	struct files_struct___fileio *files;
	struct task_struct___fileio *group_leader;
	__u64 start_boottime; /* 5.5+; /proc/PID/stat's starttime in ns */
};

/* The classic tracepoint's record of filemap:mm_filemap_add_to_page_cache (its event class). */
struct trace_event_raw_mm_filemap_op_page_cache {
	unsigned long i_ino;
	unsigned long index; /* the folio's first page in the file */
	__u32 s_dev;
	unsigned char order; /* folio order: 1 << order pages (newer kernels; one page before) */
};

#pragma clang attribute pop

/* The records of syscalls:sys_enter_* and sys_exit_* (a fixed layout: the uapi trace format). */
struct syscall_enter_ctx {
	__u64 common;
	long nr;
	unsigned long args[6];
};

struct syscall_exit_ctx {
	__u64 common;
	long nr;
	long ret;
};

struct iovec___fileio {
	void *iov_base;
	unsigned long iov_len;
};

#define S_IFMT 00170000
#define S_IFREG 0100000
#define S_IFBLK 0060000

#endif /* AIPROF_FILEIO_KERNEL_H */
