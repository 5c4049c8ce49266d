/**
 * The TCP probe: connection lifetimes, bytes and retransmits per workload and per followed thread,
 * and the remote endpoints of retransmitting or slow connections ({@code net.bpf.c}, {@code
 * net.h}).
 */
package dev.aiprof.bpf.net;
