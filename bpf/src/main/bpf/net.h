/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The TCP probe's ABI: every struct and constant that crosses between net.bpf.c and the Java side
 * lives here, and only here. The Java mirror in dev.aiprof.bpf.net is tested against this file's
 * BTF (NetLayoutTest).
 */
#ifndef AIPROF_NET_H
#define AIPROF_NET_H

enum net_limits {
	/* log2 histogram of nanoseconds: slot i counts [2^i, 2^(i+1)) ns, the last slot is open. */
	NET_HIST_SLOTS = 40,
	/* Length of the per-CPU counters array. */
	NET_COUNTERS = 8,
	/* Bytes of an address: an IPv4 address takes the first 4. */
	NET_ADDR_BYTES = 16,
};

/* Which end opened the connection. */
enum net_side {
	NET_SIDE_UNKNOWN = 0, /* open before the probe attached */
	NET_SIDE_CLIENT = 1,  /* active open: connect() (SYN_SENT) */
	NET_SIDE_SERVER = 2,  /* passive open: accepted from a listener (SYN_RECV) */
};

/* Flags of a socket entry. */
enum net_sock_flag {
	NET_SOCK_FOLLOWED = 1,	   /* its last process-context user belongs to a followed process */
	NET_SOCK_PEER = 2,	   /* its endpoint is in `peers` (it retransmitted or was slow) */
	NET_SOCK_OPEN_PENDING = 4, /* accepted, not yet counted opened: its first user is unknown */
};

/* Indexes into the per-CPU `counters` map: the probe's own health. */
enum net_counter {
	NET_CNT_SOCKS_FULL = 0, /* `socks` full: the socket's bytes go to its workload untracked */
	NET_CNT_CGROUPS_FULL = 1, /* `cgroup_stats` full: the workload's totals are not counted */
	NET_CNT_PEERS_FULL = 2,	  /* `peers` full: a retransmitting/slow endpoint is not named */
	NET_CNT_SLOTS_FULL = 3, /* `thread_slots` full: a followed thread's traffic has no phase */
	NET_CNT_STATE_MISSING = 4, /* no task storage for a thread: its followed flag is unknown */
	NET_CNT_SEEN_LATE = 5,	   /* sockets first seen after they opened (no lifetime, no side) */
	NET_CNT_EVENTS = 6,	   /* not used: no events are sent (the ring exists for probe.h) */
	NET_CNT_EVENTS_DROPPED = 7,
};

/* Value of `socks` (key: the kernel's struct sock pointer): one live TCP socket. */
struct net_sock {
	__u64 cgroup_id;     /* cgroup v2 id of the socket itself (sk_cgrp_data: its creator's) */
	__u64 cgroup_v1_id;  /* v1 memory cgroup of its first process-context user (0: none yet) */
	__u64 open_ts;	     /* when it left CLOSE or LISTEN (0: open before the probe) */
	__u64 sent;	     /* bytes sendmsg() returned on it */
	__u64 received;	     /* bytes recvmsg() returned on it (MSG_PEEK not counted) */
	__u64 retransmits;   /* segments retransmitted (the growth of tcp_sock.total_retrans) */
	__u32 total_retrans; /* tcp_sock.total_retrans when last seen */
	__u32 pid;	     /* last process-context user (0: none yet) */
	__u32 tid;
	__u8 raddr[NET_ADDR_BYTES]; /* remote address, network order */
	__u16 rport;		    /* remote port, host order */
	__u16 lport;		    /* local port, host order */
	__u16 family;		    /* AF_INET or AF_INET6 */
	__u8 side;		    /* enum net_side */
	__u8 state; /* its TCP state (TCP_ESTABLISHED = 1 ... as the kernel numbers them) */
	__u8 flags; /* enum net_sock_flag */
	__u8 pad[3];
};

/* Key of `cgroup_stats`: a workload. */
struct net_cgroup_key {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
};

/*
 * Values of `cgroup_stats`: cumulative. Bytes and retransmits of live sockets stay in their
 * `socks` entry and move here when the socket closes (or come here at once when `socks` is full):
 * a workload's total is this plus its live sockets'.
 */
struct net_cgroup_stats {
	__u64 sent;
	__u64 received;
	__u64 retransmits;
	__u64 opened_client;		/* SYN_SENT -> ESTABLISHED */
	__u64 opened_server;		/* SYN_RECV -> ESTABLISHED */
	__u64 closed;			/* a connection that was established reached CLOSE */
	__u64 failed;			/* SYN_SENT or SYN_RECV -> CLOSE: never established */
	__u64 duration_ns;		/* sum of the lifetimes in `duration` */
	__u64 duration[NET_HIST_SLOTS]; /* log2 ns, open to CLOSE, of sockets seen opening */
};

/* Key of `peers`: a remote endpoint of a workload that retransmitted or was slow. */
struct net_peer_key {
	__u64 cgroup_id;
	__u64 cgroup_v1_id;
	__u8 addr[NET_ADDR_BYTES];
	__u16 port; /* the remote's; for a server-side socket (local_port) the local one */
	__u16 family;
	__u8 local_port; /* 1: a server's socket, keyed by (remote address, local port) */
	__u8 pad[3];
};

/* Values of `peers`: cumulative. */
struct net_peer {
	__u64 retransmits; /* segments retransmitted to it */
	__u64 slow;	   /* connections to it that closed with a smoothed RTT >= slow_rtt_us */
	__u64 last_ts;	   /* when it was last updated */
	__u32 srtt_us;	   /* the smoothed RTT at the last update */
	__u32 pad;
};

/*
 * Key of `thread_slots`: one followed thread's traffic in one time slot of 2^slot_shift ns of
 * CLOCK_MONOTONIC (ts >> slot_shift). User space reads and deletes slots that have ended.
 */
struct net_slot_key {
	__u64 slot;
	__u32 tid;
	__u32 pad;
};

struct net_slot {
	__u64 sent;
	__u64 received;
	__u64 retransmits; /* of the thread's sockets, counted where the kernel retransmitted */
	__u64 first_ts;
	__u64 last_ts;
	__u32 pid;
	__u32 pad;
};

#endif /* AIPROF_NET_H */
