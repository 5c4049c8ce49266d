/**
 * The {@code net} collector: TCP per workload (bytes, retransmits, connections and their lifetime,
 * the remote endpoints of retransmitting or slow connections) and per phase of followed threads,
 * from the TCP probe ({@link dev.aiprof.bpf.net.NetProbe}).
 */
package dev.aiprof.io.net;
