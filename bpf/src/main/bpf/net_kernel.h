/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The socket types the TCP probe reads, declared by hand with preserve_access_index (CO-RE: only
 * names and types matter, libbpf relocates the offsets). Only net.bpf.c includes it.
 */
#ifndef AIPROF_NET_KERNEL_H
#define AIPROF_NET_KERNEL_H

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

struct in6_addr {
	union {
		__u8 u6_addr8[16];
	} in6_u;
};

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	struct in6_addr skc_v6_daddr;
};

struct sock_cgroup_data {
	struct cgroup *cgroup; /* cgroup v2, 5.15+ */
};

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
	struct sock_cgroup_data sk_cgrp_data;
};

struct tcp_sock {
	__u32 srtt_us; /* smoothed RTT << 3, in us */
	__u32 total_retrans;
};

struct sk_buff;

#pragma clang attribute pop

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define MSG_PEEK 2

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_SYN_RECV = 3,
	TCP_CLOSE = 7,
	TCP_LISTEN = 10,
};

#endif /* AIPROF_NET_KERNEL_H */
