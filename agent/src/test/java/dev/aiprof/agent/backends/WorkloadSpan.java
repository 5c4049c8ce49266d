package dev.aiprof.agent.backends;

/**
 * A span the workload sent, as it printed it: {@code span NAME TRACE_ID SPAN_ID PARENT_ID|- START
 * END} (epoch ns).
 *
 * @param parentId null for a root span
 */
record WorkloadSpan(
    String name, String traceId, String spanId, String parentId, long startNanos, long endNanos) {

  static WorkloadSpan parse(String line) {
    String[] f = line.split(" ");
    return new WorkloadSpan(
        f[1],
        f[2],
        f[3],
        f[4].equals("-") ? null : f[4],
        Long.parseLong(f[5]),
        Long.parseLong(f[6]));
  }
}
