package dev.aiprof.bpf.blockio;

/**
 * A followed thread's block request still in flight, from the probe's in-flight map.
 *
 * @param startNs when it started (CLOCK_MONOTONIC), as its {@link BlockIoRequest#startNs()} will
 *     say when it completes: its start, or its issue where its start was not seen
 */
public record InflightRequest(int pid, int tid, long startNs) {}
