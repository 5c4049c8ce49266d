package dev.aiprof.agent.profile;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.aiprof.testing.Libc;
import dev.aiprof.testing.PhaseMarks;
import dev.aiprof.testing.ProcAccounting;
import dev.aiprof.testing.Schedstat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The I/O workload of {@link GroundTruthIT}: one worker thread runs marker phases of known O_DIRECT
 * I/O on a block device of the test's own — {@code write} ({@code WRITES} pwrites of {@code BLOCK}
 * bytes) and {@code read} ({@code READS} preads) — while the main thread reads the worker's own
 * kernel accounting ({@code /proc/self/task/TID/io} and {@code schedstat}) right before and after
 * each phase, so that its reads of those files are neither in the worker's counters nor in a phase.
 * A first {@code warmup} phase (one read) is not reported. One line per phase on stdout: {@code
 * phase NAME ROUND TID START END ONCPU RUNDELAY RCHAR WCHAR READ_BYTES WRITE_BYTES} (deltas over
 * the phase, times CLOCK_MONOTONIC ns), then {@code done}.
 *
 * <p>Usage: {@code DirectIoPhases DEVICE BLOCK WRITES READS ROUNDS MARKER_LIB}; prints {@code
 * ready}, starts on {@code go}, exits when its stdin ends.
 */
public final class DirectIoPhases {
  private static final int O_RDWR = 2;
  private static final MethodHandle PWRITE =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("pwrite").orElseThrow(),
              FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));

  private DirectIoPhases() {}

  public static void main(String[] args) throws Exception {
    String device = args[0];
    int block = Integer.parseInt(args[1]);
    int writes = Integer.parseInt(args[2]);
    int reads = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    SynchronousQueue<Runnable> work = new SynchronousQueue<>();
    SynchronousQueue<long[]> done = new SynchronousQueue<>();
    int[] tid = new int[1];
    try (PhaseMarks m = PhaseMarks.marker(Path.of(args[5]));
        Arena arena = Arena.ofShared()) {
      MemorySegment buf = arena.allocate(block, 4096);
      buf.fill((byte) 0x5a);
      int fd = Libc.open(device, O_RDWR | Libc.O_DIRECT);
      Thread worker =
          Thread.ofPlatform()
              .daemon()
              .name("io-worker")
              .start(
                  () -> {
                    tid[0] = Libc.gettid();
                    try {
                      while (true) {
                        Runnable r = work.take();
                        long t0 = System.nanoTime();
                        r.run();
                        long t1 = System.nanoTime();
                        done.put(new long[] {t0, t1});
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      System.out.println("ready");
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); !"go".equals(line); line = in.readLine()) {
        if (line == null) {
          return;
        }
      }
      Runnable warmup = () -> phase(m, "warmup", () -> io(fd, buf, block, 1, false));
      run(work, done, warmup);
      for (int r = 0; r < rounds; r++) {
        report("write", r, tid[0], work, done, m, () -> io(fd, buf, block, writes, true));
        report("read", r, tid[0], work, done, m, () -> io(fd, buf, block, reads, false));
      }
      worker.interrupt();
      Libc.close(fd);
      System.out.println("done");
      System.out.flush();
      // Stays (followed, its phases described) until the test closes it.
      while (in.readLine() != null) {
        // nothing more to do
      }
    }
  }

  private static void report(
      String name,
      int round,
      int tid,
      SynchronousQueue<Runnable> work,
      SynchronousQueue<long[]> done,
      PhaseMarks m,
      Runnable body)
      throws InterruptedException {
    // Apart from the last phase's I/O by more than the fileio collector's 16.8 ms slot.
    LockSupport.parkNanos(40_000_000L);
    Map<String, Long> io0 = io(tid);
    long b0 = System.nanoTime();
    Schedstat s0 = Schedstat.read(ProcessHandle.current().pid(), tid);
    long[] t = run(work, done, () -> phase(m, name, body));
    Schedstat s1 = Schedstat.read(ProcessHandle.current().pid(), tid);
    long b1 = System.nanoTime();
    Map<String, Long> io1 = io(tid);
    System.out.printf(
        "phase %s %d %d %d %d %d %d %d %d %d %d %d%n",
        name,
        round,
        tid,
        t[0],
        t[1],
        b1 - b0,
        s1.onCpuNs() - s0.onCpuNs(),
        s1.runDelayNs() - s0.runDelayNs(),
        io1.get("rchar") - io0.get("rchar"),
        io1.get("wchar") - io0.get("wchar"),
        io1.get("read_bytes") - io0.get("read_bytes"),
        io1.get("write_bytes") - io0.get("write_bytes"));
    System.out.flush();
  }

  private static long[] run(
      SynchronousQueue<Runnable> work, SynchronousQueue<long[]> done, Runnable r)
      throws InterruptedException {
    work.put(r);
    return done.take();
  }

  private static void phase(PhaseMarks m, String name, Runnable body) {
    m.begin(name);
    body.run();
    m.end();
  }

  private static void io(int fd, MemorySegment buf, int block, int n, boolean write) {
    for (int i = 0; i < n; i++) {
      long got;
      try {
        got =
            write
                ? (long) PWRITE.invokeExact(fd, buf, (long) block, (long) i * block)
                : Libc.pread(fd, buf, block, (long) i * block);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (got != block) {
        throw new IllegalStateException((write ? "pwrite" : "pread") + " returned " + got);
      }
    }
  }

  private static Map<String, Long> io(int tid) {
    Path p = Path.of("/proc/self/task/" + tid + "/io");
    try {
      return ProcAccounting.io(Files.readString(p));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + p, e);
    }
  }
}
