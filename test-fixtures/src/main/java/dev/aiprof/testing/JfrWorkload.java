package dev.aiprof.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * A JVM workload for JFR tests, run as a child process ({@link WorkloadProcess}). It starts {@code
 * THREADS} worker threads named {@code jfr-0 .. jfr-N-1}, prints {@code ready}, then answers
 * commands read from stdin, one per line:
 *
 * <pre>
 *   phase T NAME MS   thread jfr-T commits an aiprof.Phase event named NAME around MS ms of work;
 *                     prints "phase NAME TID BEGIN END" (its OS tid, wall-clock epoch ns taken
 *                     just before begin() and just after commit())
 *   gc                runs System.gc(); prints "gc BEGIN END" (epoch ns)
 *   alloc MB          allocates MB megabytes of short-lived garbage; prints "alloc done"
 *   stop              exits (as does the end of stdin)
 * </pre>
 */
public final class JfrWorkload {
  /** The phase event users declare (see dev.aiprof.collectors.jfr). */
  @Name("aiprof.Phase")
  @Label("Phase")
  static final class PhaseEvent extends Event {
    @Label("Name")
    String name;
  }

  private static volatile Object sink;

  private JfrWorkload() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    List<ExecutorService> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String name = "jfr-" + i;
      workers.add(
          Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).unstarted(r)));
      workers.get(i).submit(() -> {}).get(); // the thread exists before "ready"
    }
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("stop")) {
      String[] w = line.strip().split("\\s+");
      String answer =
          switch (w[0]) {
            case "phase" ->
                runPhase(workers.get(Integer.parseInt(w[1])), w[2], Long.parseLong(w[3]));
            case "gc" -> gc();
            case "alloc" -> alloc(Long.parseLong(w[1]));
            default -> "unknown command " + line;
          };
      System.out.println(answer);
      System.out.flush();
    }
    workers.forEach(ExecutorService::shutdownNow);
  }

  private static String runPhase(ExecutorService worker, String name, long millis)
      throws Exception {
    Future<String> f =
        worker.submit(
            () -> {
              int tid = ownTid();
              PhaseEvent e = new PhaseEvent();
              e.name = name;
              long begin = epochNanos();
              e.begin();
              busy(millis);
              e.commit();
              long end = epochNanos();
              return "phase " + name + " " + tid + " " + begin + " " + end;
            });
    return f.get();
  }

  private static String gc() {
    long begin = epochNanos();
    System.gc();
    return "gc " + begin + " " + epochNanos();
  }

  private static String alloc(long megabytes) {
    for (long i = 0; i < megabytes * 1024; i++) {
      sink = new byte[1024];
    }
    return "alloc done";
  }

  private static void busy(long millis) {
    long until = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  /** The calling thread's OS tid, found by its name in /proc/self/task/TID/comm. */
  private static int ownTid() throws IOException {
    String name = Thread.currentThread().getName();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        if (Files.readString(t.resolve("comm")).strip().equals(name)) {
          return Integer.parseInt(t.getFileName().toString());
        }
      }
    }
    throw new IllegalStateException("no task named " + name);
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
