// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * TCP probe: connection lifetimes, bytes and retransmits per workload, in the kernel.
 *
 *   sock:inet_sock_set_state  a socket entry (`socks`, keyed by the struct sock pointer) is made
 *                             when a connection opens (CLOSE -> SYN_SENT in connect(); LISTEN ->
 *                             SYN_RECV for an accepted child) and removed at CLOSE, when its
 *                             bytes, retransmits, lifetime and outcome move into `cgroup_stats`
 *   sock:sock_send_length     bytes sendmsg()/recvmsg() returned, added to the socket's entry in
 *   sock:sock_recv_length     process context, where the calling thread is the socket's user
 *   tcp:tcp_retransmit_skb    the growth of tcp_sock.total_retrans (the kernel's own count)
 *
 * Attribution: state changes and retransmits mostly run in softirq, on whatever task was
 * interrupted. The workload is the socket's own cgroup (sk_cgrp_data: the creator's cgroup v2) and
 * the thread is the last one seen sending or receiving on it; never the interrupted task.
 *
 * For threads of followed processes (the scheduler probe's `followed`, reused by fd) traffic is
 * also added to `thread_slots` per (time slot, thread), which user space drains to attribute it to
 * phases. The followed flag is cached in task storage and re-checked when follow_generation moves,
 * so a message costs one task-storage get and one `socks` lookup (plus one slot update when the
 * thread is followed). Endpoints that retransmitted or closed slow go to the bounded `peers`.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "net.h"
#include "net_kernel.h"
#include "bits.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Load-time settings, written by the loader before load. */
const volatile __u32 slot_shift = 24; /* thread_slots time slots of 2^slot_shift ns (16.8 ms) */
const volatile __u32 slow_rtt_us = 0; /* connections closing with srtt >= this go to peers */

/* A thread's cached followed flag, never seen by user space. */
struct net_task {
	__u32 follow_gen; /* follow_generation when `followed` was looked up (0: never) */
	__u8 followed;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct net_task);
} task_store SEC(".maps");

/* 65,536 live TCP sockets (about 112 bytes each); entries are removed at CLOSE. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct net_sock);
} socks SEC(".maps");

/* 4,096 workloads. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct net_cgroup_key);
	__type(value, struct net_cgroup_stats);
} cgroup_stats SEC(".maps");

/* 1,024 (workload, remote endpoint) pairs that retransmitted or were slow. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct net_peer_key);
	__type(value, struct net_peer);
} peers SEC(".maps");

/* 16,384 (followed thread, slot) entries; user space deletes ended slots every drain. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct net_slot_key);
	__type(value, struct net_slot);
} thread_slots SEC(".maps");

#include "follow.h"

/* All zeros, never written: the source for new cgroup_stats entries (too big for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct net_cgroup_stats);
} zero_stats SEC(".maps");

#define PROBE_COUNTERS NET_COUNTERS
#define PROBE_RING_BYTES 4096
#include "probe.h"

/* Referenced so that their BTF lands in the object for the Java layout tests. */
struct net_sock *unused_sock __attribute__((unused));
struct net_cgroup_key *unused_cgroup_key __attribute__((unused));
struct net_cgroup_stats *unused_cgroup_stats __attribute__((unused));
struct net_peer_key *unused_peer_key __attribute__((unused));
struct net_peer *unused_peer __attribute__((unused));
struct net_slot_key *unused_slot_key __attribute__((unused));
struct net_slot *unused_slot __attribute__((unused));
enum net_limits unused_limits __attribute__((unused));
enum net_side unused_side __attribute__((unused));
enum net_sock_flag unused_flag __attribute__((unused));
enum net_counter unused_counter __attribute__((unused));

/* tcp_sock fields lie beyond struct sock: read them through the probe helper. */
static __always_inline __u32 tcp_total_retrans(const struct sock *sk)
{
	return BPF_CORE_READ((const struct tcp_sock *)sk, total_retrans);
}

static __always_inline __u32 tcp_srtt_us(const struct sock *sk)
{
	return BPF_CORE_READ((const struct tcp_sock *)sk, srtt_us) >> 3;
}

static __always_inline bool is_tcp(const struct sock *sk)
{
	__u16 family = sk->__sk_common.skc_family;

	return sk->sk_protocol == IPPROTO_TCP && (family == AF_INET || family == AF_INET6);
}

/* The socket's own cgroup v2 id: its creator's (0 where the kernel keeps none). */
static __always_inline __u64 sock_cgroup(const struct sock *sk)
{
	struct cgroup *cg;

	if (!bpf_core_field_exists(sk->sk_cgrp_data.cgroup))
		return 0;
	cg = sk->sk_cgrp_data.cgroup;
	return cg ? cg->kn->id : 0;
}

/* The current task's cgroup v1 memory-controller id (0: none). Process context only. */
static __always_inline __u64 task_v1_cgroup(void)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct cgroup_subsys_state *css;

	if (!bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
		return 0;
	css = t->cgroups->subsys[bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id)];
	return css ? css->cgroup->kn->id : 0;
}

/* Whether the current thread belongs to a followed process (cached per task). */
static __always_inline bool current_followed(__u32 pid)
{
	__u32 zero = 0, *gen = bpf_map_lookup_elem(&follow_generation, &zero);
	struct net_task *t;

	if (!gen || !*gen)
		return false;
	t = bpf_task_storage_get(&task_store, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!t) {
		count(NET_CNT_STATE_MISSING);
		return false;
	}
	if (t->follow_gen != *gen) {
		t->followed = bpf_map_lookup_elem(&followed, &pid) != NULL;
		t->follow_gen = *gen;
	}
	return t->followed;
}

static __always_inline struct net_cgroup_stats *cgroup_stats_of(__u64 cg, __u64 v1)
{
	struct net_cgroup_key key = {.cgroup_id = cg, .cgroup_v1_id = v1};
	struct net_cgroup_stats *v = bpf_map_lookup_elem(&cgroup_stats, &key);
	__u32 zero = 0;

	if (v)
		return v;
	v = bpf_map_lookup_elem(&zero_stats, &zero);
	if (!v)
		return NULL;
	bpf_map_update_elem(&cgroup_stats, &key, v, BPF_NOEXIST);
	v = bpf_map_lookup_elem(&cgroup_stats, &key);
	if (!v)
		count(NET_CNT_CGROUPS_FULL);
	return v;
}

/* A new entry for `sk`, replacing a stale one; NULL (counted) when `socks` is full. */
static __always_inline struct net_sock *sock_new(const struct sock *sk, __u64 open_ts, __u8 side)
{
	__u64 key = (__u64)sk;
	struct net_sock s = {
	    .cgroup_id = sock_cgroup(sk),
	    .open_ts = open_ts,
	    .total_retrans = tcp_total_retrans(sk),
	    .rport = bpf_ntohs(sk->__sk_common.skc_dport),
	    .lport = sk->__sk_common.skc_num,
	    .family = sk->__sk_common.skc_family,
	    .side = side,
	    .state = sk->__sk_common.skc_state,
	};

	if (s.family == AF_INET6)
		BPF_CORE_READ_INTO(&s.raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	else
		__builtin_memcpy(s.raddr, (const void *)&sk->__sk_common.skc_daddr, 4);
	if (!open_ts)
		count(NET_CNT_SEEN_LATE);
	if (bpf_map_update_elem(&socks, &key, &s, BPF_ANY)) {
		count(NET_CNT_SOCKS_FULL);
		return NULL;
	}
	return bpf_map_lookup_elem(&socks, &key);
}

/*
 * Whether a socket first seen now may get an entry: not when it is closed (after a reset, or handed
 * to a timewait socket) or listening, as no later state change would remove that entry (a phantom
 * in the open gauge). Callers add such a socket's amounts to its workload straight away.
 */
static __always_inline bool trackable(const struct sock *sk)
{
	__u8 st = sk->__sk_common.skc_state;

	return st != TCP_CLOSE && st != TCP_LISTEN;
}

static __always_inline struct net_sock *sock_of(const struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct net_sock *s = bpf_map_lookup_elem(&socks, &key);

	if (s)
		return s;
	return trackable(sk) ? sock_new(sk, 0, NET_SIDE_UNKNOWN) : NULL;
}

/* Adds to a followed thread's entry for the slot of `now`. */
static __always_inline void slot_add(__u32 pid, __u32 tid, __u64 now, __u64 sent, __u64 received,
				     __u64 retransmits)
{
	struct net_slot_key key = {.slot = now >> slot_shift, .tid = tid};
	struct net_slot *v = bpf_map_lookup_elem(&thread_slots, &key);

	if (!v) {
		struct net_slot fresh = {.first_ts = now, .pid = pid};

		bpf_map_update_elem(&thread_slots, &key, &fresh, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&thread_slots, &key);
		if (!v) {
			count(NET_CNT_SLOTS_FULL);
			return;
		}
	}
	v->last_ts = now;
	if (sent)
		__sync_fetch_and_add(&v->sent, sent);
	if (received)
		__sync_fetch_and_add(&v->received, received);
	if (retransmits)
		__sync_fetch_and_add(&v->retransmits, retransmits);
}

/* Adds retransmits or a slow close to the socket's endpoint in `peers`. */
static __always_inline void peer_add(struct net_sock *s, __u64 retransmits, __u64 slow,
				     __u32 srtt_us, __u64 now)
{
	/* A server's sockets: the remote's port is ephemeral, one series per connection; the
	 * listening port names the service instead. */
	bool server = s->side == NET_SIDE_SERVER;
	struct net_peer_key key = {
	    .cgroup_id = s->cgroup_id,
	    .cgroup_v1_id = s->cgroup_v1_id,
	    .port = server ? s->lport : s->rport,
	    .family = s->family,
	    .local_port = server,
	};
	struct net_peer *p;

	__builtin_memcpy(key.addr, s->raddr, NET_ADDR_BYTES);
	p = bpf_map_lookup_elem(&peers, &key);
	if (!p) {
		struct net_peer fresh = {};

		bpf_map_update_elem(&peers, &key, &fresh, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&peers, &key);
		if (!p) {
			count(NET_CNT_PEERS_FULL);
			return;
		}
	}
	__sync_fetch_and_add(&p->retransmits, retransmits);
	__sync_fetch_and_add(&p->slow, slow);
	p->srtt_us = srtt_us;
	p->last_ts = now;
	s->flags |= NET_SOCK_PEER;
}

static __always_inline void opened_server(struct net_sock *s)
{
	struct net_cgroup_stats *c = cgroup_stats_of(s->cgroup_id, s->cgroup_v1_id);

	s->flags &= ~NET_SOCK_OPEN_PENDING;
	if (c)
		__sync_fetch_and_add(&c->opened_server, 1);
}

/* A tracked socket reached CLOSE: its totals move to its workload, the entry goes. */
static __always_inline void sock_closed(const struct sock *sk, struct net_sock *s, int old,
					__u64 now)
{
	struct net_cgroup_stats *c = cgroup_stats_of(s->cgroup_id, s->cgroup_v1_id);
	__u32 srtt_us = tcp_srtt_us(sk);
	__u64 key = (__u64)sk;

	if (slow_rtt_us && srtt_us >= slow_rtt_us && old != TCP_SYN_SENT && old != TCP_SYN_RECV)
		peer_add(s, 0, 1, srtt_us, now);
	if (s->flags & NET_SOCK_OPEN_PENDING)
		opened_server(s);
	if (c) {
		__sync_fetch_and_add(&c->sent, s->sent);
		__sync_fetch_and_add(&c->received, s->received);
		__sync_fetch_and_add(&c->retransmits, s->retransmits);
		if (old == TCP_SYN_SENT || old == TCP_SYN_RECV)
			__sync_fetch_and_add(&c->failed, 1);
		else
			__sync_fetch_and_add(&c->closed, 1);
		if (s->open_ts && now > s->open_ts) {
			__sync_fetch_and_add(&c->duration_ns, now - s->open_ts);
			__sync_fetch_and_add(
			    &c->duration[log2_slot(now - s->open_ts, NET_HIST_SLOTS)], 1);
		}
	}
	bpf_map_delete_elem(&socks, &key);
}

static __always_inline void set_state(const struct sock *sk, int old, int new)
{
	__u64 now = bpf_ktime_get_ns(), key = (__u64)sk;
	struct net_sock *s;

	if (!is_tcp(sk) || new == TCP_LISTEN)
		return;
	s = bpf_map_lookup_elem(&socks, &key);
	if (new == TCP_CLOSE) {
		if (s && old != TCP_LISTEN)
			sock_closed(sk, s, old, now);
		else if (s)
			bpf_map_delete_elem(&socks, &key);
		return;
	}
	if (old == TCP_CLOSE && new == TCP_SYN_SENT) {
		__u64 id = bpf_get_current_pid_tgid(); /* connect(): the caller's context */

		s = sock_new(sk, now, NET_SIDE_CLIENT);
		if (s) {
			s->pid = id >> 32;
			s->tid = (__u32)id;
			s->cgroup_v1_id = task_v1_cgroup();
		}
	} else if (old == TCP_LISTEN && new == TCP_SYN_RECV) {
		s = sock_new(sk, now, NET_SIDE_SERVER);
	} else if (!s) {
		s = sock_new(sk, 0, NET_SIDE_UNKNOWN);
	}
	if (!s)
		return;
	s->state = new;
	if (new == TCP_ESTABLISHED)
		s->lport = sk->__sk_common.skc_num; /* connect() binds the port after SYN_SENT */
	if (new == TCP_ESTABLISHED && (old == TCP_SYN_SENT || old == TCP_SYN_RECV)) {
		struct net_cgroup_stats *c =
		    old == TCP_SYN_SENT ? cgroup_stats_of(s->cgroup_id, s->cgroup_v1_id) : NULL;

		if (old == TCP_SYN_SENT) {
			if (c)
				__sync_fetch_and_add(&c->opened_client, 1);
		} else {
			/* Counted once its first user (and so its v1 cgroup) is known, or at close.
			 */
			s->flags |= NET_SOCK_OPEN_PENDING;
		}
	}
}

/* sendmsg/recvmsg returned `bytes` on `sk`, in the caller's context. */
static __always_inline void moved(const struct sock *sk, int bytes, bool send)
{
	__u64 id = bpf_get_current_pid_tgid(), now;
	__u32 pid = id >> 32, tid = (__u32)id;
	bool follow;
	struct net_sock *s;

	if (bytes <= 0 || !is_tcp(sk))
		return;
	follow = current_followed(pid);
	s = sock_of(sk);
	if (s) {
		if (!s->pid) {
			/* Its first user: the socket's v1 cgroup is fixed from now on. */
			s->cgroup_v1_id = task_v1_cgroup();
			if (s->flags & NET_SOCK_OPEN_PENDING)
				opened_server(s);
		}
		s->pid = pid;
		s->tid = tid;
		s->flags = follow ? s->flags | NET_SOCK_FOLLOWED : s->flags & ~NET_SOCK_FOLLOWED;
		__sync_fetch_and_add(send ? &s->sent : &s->received, bytes);
	} else {
		struct net_cgroup_stats *c = cgroup_stats_of(sock_cgroup(sk), task_v1_cgroup());

		if (c)
			__sync_fetch_and_add(send ? &c->sent : &c->received, bytes);
	}
	if (follow) {
		now = bpf_ktime_get_ns();
		slot_add(pid, tid, now, send ? bytes : 0, send ? 0 : bytes, 0);
	}
}

static __always_inline void retransmitted(const struct sock *sk)
{
	__u32 total = tcp_total_retrans(sk), delta;
	__u64 now = bpf_ktime_get_ns();
	struct net_sock *s;

	if (!is_tcp(sk))
		return;
	__u64 key = (__u64)sk;

	s = bpf_map_lookup_elem(&socks, &key);
	if (!s && trackable(sk)) {
		/* First seen here: the entry takes total_retrans now, this retransmit included. */
		s = sock_new(sk, 0, NET_SIDE_UNKNOWN);
		if (s && s->total_retrans)
			s->total_retrans--;
	}
	if (!s) {
		struct net_cgroup_stats *c = cgroup_stats_of(sock_cgroup(sk), 0);

		if (c && total)
			__sync_fetch_and_add(&c->retransmits, 1);
		return;
	}
	delta = total > s->total_retrans ? total - s->total_retrans : 0;
	s->total_retrans = total;
	if (!delta)
		return; /* the retransmit failed: the kernel did not count it */
	__sync_fetch_and_add(&s->retransmits, delta);
	peer_add(s, delta, 0, tcp_srtt_us(sk), now);
	if ((s->flags & NET_SOCK_FOLLOWED) && s->tid)
		slot_add(s->pid, s->tid, now, 0, 0, delta);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(net_state, const struct sock *sk, const int oldstate, const int newstate)
{
	set_state(sk, oldstate, newstate);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(net_send, struct sock *sk, int ret, int flags)
{
	moved(sk, ret, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(net_recv, struct sock *sk, int ret, int flags)
{
	if (!(flags & MSG_PEEK))
		moved(sk, ret, false);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(net_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	retransmitted(sk);
	return 0;
}
