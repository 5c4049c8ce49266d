package dev.aiprof.collectors.jfr;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the collector knows about a process it may stream: its pid on the host and inside its own
 * pid namespace, its effective uid, start time (to tell a reused pid apart), its root directory as
 * seen from here ({@code /proc/PID/root}, which reaches into a container's mount namespace) and
 * whether it shares our pid and network namespaces. Immutable.
 */
record JvmProcess(
    int pid,
    int nsPid,
    int uid,
    long startTime,
    Path root,
    boolean samePidNamespace,
    boolean sameNetNamespace) {

  /** Reads the facts of {@code pid}; throws with the reason when it is gone or not a JVM. */
  static JvmProcess inspect(HostPaths paths, int pid) throws JfrException {
    Path dir = paths.proc(Integer.toString(pid));
    try {
      String status = Files.readString(dir.resolve("status"));
      long start =
          ProcFacts.startTime(Files.readString(dir.resolve("stat")))
              .orElseThrow(() -> new JfrException("pid " + pid + ": unreadable stat"));
      if (!mapsLibjvm(dir.resolve("maps"))) {
        throw new JfrException("pid " + pid + " is not a JVM (no libjvm.so mapped)");
      }
      return new JvmProcess(
          pid,
          ProcFacts.nsPid(status).orElse(pid),
          ProcFacts.effectiveUid(status).orElse(-1),
          start,
          dir.resolve("root"),
          sameNamespace(paths, pid, "pid"),
          sameNamespace(paths, pid, "net"));
    } catch (NoSuchFileException e) {
      throw new JfrException("pid " + pid + ": no such process");
    } catch (IOException | UncheckedIOException e) {
      throw new JfrException("pid " + pid + ": cannot read " + dir, e);
    }
  }

  /** Whether the process still runs (the same one: same start time). */
  boolean alive(HostPaths paths) {
    return startTime(paths, pid) == startTime;
  }

  /** The start time of whatever process has {@code pid} now, or -1 if there is none. */
  static long startTime(HostPaths paths, int pid) {
    try {
      String stat = Files.readString(paths.proc(Integer.toString(pid), "stat"));
      return ProcFacts.startTime(stat).orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** A path inside the process's mount namespace, reached through its root. */
  Path inside(String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  private static boolean mapsLibjvm(Path maps) throws IOException {
    try (Stream<String> lines = Files.lines(maps)) {
      return lines.anyMatch(ProcFacts::mapsLibjvm);
    }
  }

  private static boolean sameNamespace(HostPaths paths, int pid, String ns) {
    try {
      Path theirs = Files.readSymbolicLink(paths.proc(Integer.toString(pid), "ns", ns));
      Path ours = Files.readSymbolicLink(paths.proc("self", "ns", ns));
      return theirs.equals(ours);
    } catch (IOException | UnsupportedOperationException e) {
      return true; // no namespace information: assume one namespace (an older kernel, fixtures)
    }
  }
}
