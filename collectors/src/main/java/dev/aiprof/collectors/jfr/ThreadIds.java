package dev.aiprof.collectors.jfr;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Maps the OS thread ids JFR records (a thread's id in the JVM's own pid namespace) to host thread
 * ids, which phases carry. In our pid namespace they are the same; for a JVM in a container the map
 * is read from {@code /proc/PID/task/TID/status} ({@code NSpid: HOST ... NS}) and re-read, at most
 * every 50 ms, when a thread is not in it. A thread that ended before it could be mapped yields 0
 * (its phase is then reported process-wide).
 *
 * <p>Not thread-safe: one JVM's stream thread.
 */
final class ThreadIds {
  private static final long RESCAN_NS = 50_000_000;

  private final Path tasks;
  private final boolean identity;
  private final LongSupplier nanoClock;
  private final Map<Long, Integer> nsToHost = new HashMap<>();
  private long lastScanNs = Long.MIN_VALUE / 2;

  ThreadIds(HostPaths paths, JvmProcess jvm, LongSupplier nanoClock) {
    this.tasks = paths.proc(Integer.toString(jvm.pid()), "task");
    this.identity = jvm.samePidNamespace();
    this.nanoClock = nanoClock;
  }

  int hostTid(long nsTid) {
    if (identity) {
      return (int) nsTid;
    }
    Integer host = nsToHost.get(nsTid);
    if (host == null && nanoClock.getAsLong() - lastScanNs > RESCAN_NS) {
      scan();
      host = nsToHost.get(nsTid);
    }
    return host == null ? 0 : host;
  }

  private void scan() {
    lastScanNs = nanoClock.getAsLong();
    nsToHost.clear();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(tasks)) {
      for (Path t : s) {
        try {
          int host = Integer.parseInt(t.getFileName().toString());
          ProcFacts.nsPid(Files.readString(t.resolve("status")))
              .ifPresent(ns -> nsToHost.put((long) ns, host));
        } catch (IOException | NumberFormatException e) {
          // the thread ended while we listed: skip it
        }
      }
    } catch (IOException e) {
      // the process is gone: its threads map to 0
    }
  }
}
