package dev.aiprof.profiler;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Asks a JVM for a perf map of its JIT code ({@code jcmd PID Compiler.perfmap}, JDK 17+: it writes
 * {@code /tmp/perf-PID.map} in the JVM's own namespace), so the symboliser can name compiled
 * methods. Only processes that map {@code libjvm.so}; per JVM the first request at once, then at
 * most after 2 s, 4 s, … up to {@value #MAX_INTERVAL_NS} ns (code compiled later needs a new map,
 * and each jcmd costs about 0.3 s of CPU); jcmd runs on a virtual thread with a 10 s limit, never
 * on the caller's. jcmd is the agent's own JDK's ({@code java.home/bin/jcmd}); where it is missing
 * nothing is asked. Bounded: 1,024 processes remembered.
 *
 * <p>Thread-safety: synchronized.
 */
final class JvmPerfMaps implements IntConsumer {
  private static final System.Logger LOG = System.getLogger(JvmPerfMaps.class.getName());
  static final long FIRST_INTERVAL_NS = 2_000_000_000L;
  static final long MAX_INTERVAL_NS = 64_000_000_000L;
  private static final int MAX_PROCESSES = 1024;

  private final HostPaths paths;
  private final Path jcmd;
  private final LongSupplier clock;
  private final Map<Integer, long[]> asked =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, long[]> e) {
          return size() > MAX_PROCESSES;
        }
      };
  private long requests;
  private boolean warned;

  JvmPerfMaps(HostPaths paths, Path jcmd, LongSupplier clock) {
    this.paths = paths;
    this.jcmd = jcmd;
    this.clock = clock;
  }

  static Path defaultJcmd() {
    return Path.of(System.getProperty("java.home"), "bin", "jcmd");
  }

  @Override
  public synchronized void accept(int pid) {
    long now = clock.getAsLong();
    long[] a = asked.get(pid); // {last request, interval; 0: not a JVM}
    if (a == null) {
      a = new long[] {0, isJvm(pid) ? FIRST_INTERVAL_NS : 0};
      asked.put(pid, a);
      if (a[1] == 0) {
        return;
      }
    } else if (a[1] == 0 || now - a[0] < a[1]) {
      return; // not a JVM, or asked recently
    } else {
      a[1] = Math.min(a[1] * 2, MAX_INTERVAL_NS);
    }
    a[0] = now;
    if (!Files.isExecutable(jcmd)) {
      if (!warned) {
        LOG.log(System.Logger.Level.INFO, "no jcmd at " + jcmd + ": JIT frames stay unresolved");
        warned = true;
      }
      return;
    }
    requests++;
    Thread.ofVirtual().name("aiprof-profile-jcmd").start(() -> run(pid));
  }

  private boolean isJvm(int pid) {
    try {
      return Files.readString(paths.proc(Integer.toString(pid), "maps")).contains("/libjvm.so");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void run(int pid) {
    try {
      Process p =
          new ProcessBuilder(
                  jcmd.toString(),
                  "-J-XX:-UsePerfData",
                  "-J-XX:TieredStopAtLevel=1",
                  Integer.toString(pid),
                  "Compiler.perfmap")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // the JVM exited or cannot be attached: its JIT frames stay addresses
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized long requests() {
    return requests;
  }
}
