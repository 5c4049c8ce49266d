package dev.aiprof.bpf;

/**
 * The kernel's own accounting of a program's runs, from {@code bpf_prog_info}. Counts only while
 * run-time statistics are on ({@link RunTimeStats}); both counters are cumulative since load.
 */
public record ProgramStats(
    String name, int id, long runTimeNs, long runCount, long recursionMisses) {
  /** Mean cost of one run in nanoseconds, or 0 before the first counted run. */
  public double nanosPerRun() {
    return runCount == 0 ? 0 : (double) runTimeNs / runCount;
  }

  /** The counts accumulated since {@code earlier}, a previous reading of the same program. */
  public ProgramStats minus(ProgramStats earlier) {
    return new ProgramStats(
        name,
        id,
        runTimeNs - earlier.runTimeNs,
        runCount - earlier.runCount,
        recursionMisses - earlier.recursionMisses);
  }
}
