package dev.aiprof.collectors.jfr;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the JVMs on the host the way {@code jps} does, across containers: a HotSpot JVM keeps a
 * performance-data file {@code /tmp/hsperfdata_USER/NSPID} in its own mount namespace, named by its
 * pid in its own pid namespace. Processes are grouped by mount namespace; each group's {@code /tmp}
 * is listed once, through one member's {@code /proc/PID/root}. JVMs started with {@code
 * -XX:-UsePerfData} are not found (name them in {@code jfr.pids}).
 *
 * <p>Not thread-safe; cheap enough to run every few seconds (one readlink per process, one {@code
 * status} read per process in another pid namespace).
 */
final class JvmDiscovery {
  private final HostPaths paths;

  JvmDiscovery(HostPaths paths) {
    this.paths = paths;
  }

  /** Host pids of every process with a performance-data file, except our own and {@code skip}. */
  Set<Integer> scan(Set<Integer> skip) {
    String ourPidNs = link(paths.proc("self", "ns", "pid"));
    int self = selfPid();
    Map<String, Map<Integer, Integer>> byMountNs = new HashMap<>();
    for (int pid : pids()) {
      if (pid == self || skip.contains(pid)) {
        continue;
      }
      String mnt = link(paths.proc(Integer.toString(pid), "ns", "mnt"));
      if (mnt == null) {
        continue; // gone, or not ours to see
      }
      String pidNs = link(paths.proc(Integer.toString(pid), "ns", "pid"));
      int nsPid = pidNs != null && pidNs.equals(ourPidNs) ? pid : nsPid(pid);
      byMountNs.computeIfAbsent(mnt, k -> new HashMap<>()).put(nsPid, pid);
    }
    Set<Integer> jvms = new TreeSet<>();
    for (Map<Integer, Integer> group : byMountNs.values()) {
      for (int nsPid : perfDataPids(reachableTmp(group.values()))) {
        Integer host = group.get(nsPid);
        if (host != null) {
          jvms.add(host);
        }
      }
    }
    return jvms;
  }

  /** The group's /tmp through the first member whose root we may enter, else null. */
  private Path reachableTmp(Iterable<Integer> members) {
    for (int pid : members) {
      Path tmp = paths.proc(Integer.toString(pid), "root", "tmp");
      if (Files.isDirectory(tmp)) {
        return tmp;
      }
    }
    return null;
  }

  /** Pids named by the files of every {@code hsperfdata_*} directory under {@code tmp}. */
  static Set<Integer> perfDataPids(Path tmp) {
    Set<Integer> out = new TreeSet<>();
    if (tmp == null) {
      return out;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "hsperfdata_*")) {
      for (Path d : dirs) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
          for (Path f : files) {
            parsePid(f.getFileName().toString(), out);
          }
        } catch (IOException e) {
          // another user's directory we may not list: skip it
        }
      }
    } catch (IOException e) {
      // no /tmp reachable in that namespace
    }
    return out;
  }

  private Set<Integer> pids() {
    Set<Integer> out = new TreeSet<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(paths.procfs())) {
      for (Path p : s) {
        parsePid(p.getFileName().toString(), out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + paths.procfs() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private int selfPid() {
    String s = link(paths.proc("self"));
    return s == null
        ? (int) ProcessHandle.current().pid()
        : Integer.parseInt(Path.of(s).getFileName().toString());
  }

  private int nsPid(int pid) {
    try {
      return ProcFacts.nsPid(Files.readString(paths.proc(Integer.toString(pid), "status")))
          .orElse(pid);
    } catch (IOException e) {
      return pid;
    }
  }

  private static void parsePid(String name, Set<Integer> out) {
    if (!name.isEmpty() && name.length() < 10 && name.chars().allMatch(Character::isDigit)) {
      out.add(Integer.parseInt(name));
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
