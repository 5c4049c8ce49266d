package dev.aiprof.api.follow;

/**
 * A process the agent follows, and since when (CLOCK_MONOTONIC ns): its followers' records of it
 * are complete from {@code sinceNs} on, and say nothing of the time before.
 */
public record Followed(ProcessKey process, long sinceNs) {}
