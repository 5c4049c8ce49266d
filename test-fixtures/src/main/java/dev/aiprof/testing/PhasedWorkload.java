package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A workload with phases whose causes are known, for the correlation ground-truth test. One worker
 * thread, pinned to a CPU, runs rounds of:
 *
 * <ul>
 *   <li>{@code load}: reads DATAFILE after dropping it from the page cache: waits on the disk (D);
 *   <li>{@code compute}: spins, while a busy thread pinned to the same CPU (started only for this
 *       phase) competes for it: runqueue waits;
 *   <li>{@code wait}: sleeps: interruptible sleep;
 *   <li>{@code io}: O_DIRECT reads of DATAFILE: waits on the disk (D).
 * </ul>
 *
 * A first {@code warmup} phase is marked but not measured. Each other phase is marked through
 * {@link PhaseMarks} and measured by the kernel's own accounting; one line per phase on stdout:
 * {@code phase NAME ROUND TID START END ONCPU RUNDELAY READBYTES STEAL OUTSIDE} (times
 * CLOCK_MONOTONIC ns, from /proc/self/task/TID/schedstat and /proc/self/io; STEAL in ticks; OUTSIDE
 * the time between the schedstat reads but outside START..END).
 *
 * <p>Usage: {@code PhasedWorkload CPU ROUNDS DATAFILE MARKER_LIB|- OTLP_ENDPOINT|- [traced]}.
 * Prints {@code ready}, starts on a {@code go} line, prints {@code done} and exits when finished.
 * With {@code traced}, each round is itself a phase named {@code round} around its four (so spans
 * have parents), and every OTLP span the workload sends is printed as {@code span NAME TRACE_ID
 * SPAN_ID PARENT_ID|- START END} (epoch ns), for tests that look for those ids in a backend.
 */
public final class PhasedWorkload {
  private static final int CHUNK = 1 << 20;
  private static volatile boolean competing;

  private PhasedWorkload() {}

  public static void main(String[] args) throws Exception {
    int cpu = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path data = Path.of(args[2]);
    List<PhaseMarks> marks = new ArrayList<>();
    if (!args[3].equals("-")) {
      marks.add(PhaseMarks.marker(Path.of(args[3])));
    }
    boolean traced = args.length > 5 && args[5].equals("traced");
    if (!args[4].equals("-")) {
      marks.add(PhaseMarks.otlp(args[4], "phased-workload", traced ? System.out : null));
    }
    try (PhaseMarks m = PhaseMarks.all(marks.toArray(PhaseMarks[]::new))) {
      Thread worker =
          Thread.ofPlatform().name("worker").unstarted(() -> work(cpu, rounds, data, m, traced));
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!Contention.awaitLine(in, "go")) {
        return;
      }
      worker.start();
      worker.join();
    }
    System.out.println("done");
    System.out.flush();
  }

  private static void work(int cpu, int rounds, Path data, PhaseMarks m, boolean traced) {
    Libc.pinTo(cpu);
    cpuOf = cpu;
    int tid = Libc.gettid();
    // Warm-up (a phase named "warmup", not reported): class loading, the JIT and the first span
    // export happen now rather than inside a measured phase.
    m.begin("warmup");
    read(data, false);
    compute(cpu, 100_000_000L);
    LockSupport.parkNanos(10_000_000L);
    read(data, true);
    m.end();
    for (int r = 0; r < rounds; r++) {
      int round = r;
      Runnable body =
          () -> {
            phase("load", round, tid, m, () -> read(data, false));
            phase("compute", round, tid, m, () -> compute(cpu, 300_000_000L));
            phase("wait", round, tid, m, () -> LockSupport.parkNanos(150_000_000L));
            phase("io", round, tid, m, () -> read(data, true));
          };
      if (traced) {
        phase("round", r, tid, m, body);
      } else {
        body.run();
      }
    }
  }

  private static void phase(String name, int round, int tid, PhaseMarks m, Runnable body) {
    // The kernel's counters are read right next to the marks (the file reads for steal and I/O
    // come first): time between a read and a mark counts for the kernel but not in the phase, and
    // on a loaded host a thread may wait on the runqueue right there.
    long steal0 = stealTicks(cpuOf);
    long io0 = readBytes();
    long b0 = System.nanoTime();
    long[] s0 = schedstat(tid);
    long t0 = System.nanoTime();
    m.begin(name);
    body.run();
    m.end();
    long t1 = System.nanoTime();
    long[] s1 = schedstat(tid);
    long b1 = System.nanoTime();
    long steal = stealTicks(cpuOf) - steal0;
    // OUTSIDE: time inside the kernel's bracket (the two schedstat reads) but outside [t0, t1]; a
    // runqueue wait there counts in RUNDELAY but belongs to no phase.
    System.out.printf(
        "phase %s %d %d %d %d %d %d %d %d %d%n",
        name,
        round,
        tid,
        t0,
        t1,
        s1[0] - s0[0],
        s1[1] - s0[1],
        readBytes() - io0,
        steal,
        (t0 - b0) + (b1 - t1));
    System.out.flush();
  }

  /** Reads the whole file: cold buffered reads (cache dropped first) or O_DIRECT reads. */
  private static void read(Path file, boolean direct) {
    int fd = Libc.open(file.toString(), direct ? Libc.O_DIRECT : Libc.O_RDONLY);
    try (Arena a = Arena.ofConfined()) {
      if (!direct) {
        Libc.dropCache(fd);
      }
      MemorySegment buf = a.allocate(CHUNK, 4096);
      long size = Files.size(file);
      for (long at = 0; at < size; at += CHUNK) {
        Libc.pread(fd, buf, CHUNK, at);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      Libc.close(fd);
    }
  }

  /** Spins for {@code ns} while a busy thread on the same CPU competes. */
  private static void compute(int cpu, long ns) {
    competing = true;
    Thread rival =
        Thread.ofPlatform()
            .name("rival")
            .start(
                () -> {
                  Libc.pinTo(cpu);
                  long x = 0;
                  while (competing) {
                    x += System.nanoTime() & 1;
                  }
                  if (x == 42) {
                    System.out.print("");
                  }
                });
    long until = System.nanoTime() + ns;
    long sum = 0;
    while (System.nanoTime() < until) {
      sum += System.nanoTime() & 3;
    }
    competing = false;
    try {
      rival.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (sum == 42) {
      System.out.print("");
    }
  }

  private static long[] schedstat(int tid) {
    Schedstat s = Schedstat.read(ProcessHandle.current().pid(), tid);
    return new long[] {s.onCpuNs(), s.runDelayNs()};
  }

  private static volatile int cpuOf;

  /** Time the hypervisor took from {@code cpu} (steal, USER_HZ ticks) from /proc/stat. */
  private static long stealTicks(int cpu) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/stat"))) {
        if (l.startsWith("cpu" + cpu + " ")) {
          return Long.parseLong(l.split("\\s+")[8]);
        }
      }
      return 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private static long readBytes() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (l.startsWith("read_bytes:")) {
          return Long.parseLong(l.substring(11).strip());
        }
      }
      return 0;
    } catch (java.io.IOException e) {
      return 0;
    }
  }
}
