package dev.aiprof.agent.probes;

/**
 * One BPF program an aiprof agent or one of its bpftrace children holds, with the kernel's
 * accounting ({@code BPF_ENABLE_STATS}: counts only while run-time statistics are on).
 *
 * @param owner the pid holding it
 * @param source the built-in object it comes from ({@code sched}, {@code cuda}...), or the bpftrace
 *     script's name
 * @param name the program's name as the kernel keeps it (at most 15 characters)
 */
public record LoadedProgram(
    int owner, String source, int id, String name, long runs, long runTimeNs) {
  public double nanosPerRun() {
    return runs == 0 ? 0 : (double) runTimeNs / runs;
  }
}
