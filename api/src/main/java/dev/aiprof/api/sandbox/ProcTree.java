package dev.aiprof.api.sandbox;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.ProcCgroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what {@link Sandboxes} needs from {@code /proc}: a process and its ancestors (at most
 * {@link #MAX_DEPTH}), and its cgroup paths. Stateless and thread-safe; each call reads a few small
 * files per ancestor.
 */
public final class ProcTree {
  /** Ancestors looked at, at most: a sandbox's shim is within a few levels of its processes. */
  public static final int MAX_DEPTH = 8;

  /** Bytes of a cmdline read, at most: argv[0] and the first arguments are all that is needed. */
  static final int MAX_CMDLINE = 4096;

  private ProcTree() {}

  /** The process then its ancestors, up to {@link #MAX_DEPTH} or pid 1; empty if it is gone. */
  public static List<ProcNode> chain(HostPaths paths, int pid) {
    List<ProcNode> out = new ArrayList<>();
    int p = pid;
    while (p > 0 && out.size() <= MAX_DEPTH) {
      Optional<ProcNode> n = node(paths, p);
      if (n.isEmpty()) {
        break;
      }
      out.add(n.get());
      if (p == 1) {
        break;
      }
      p = n.get().ppid();
    }
    return out;
  }

  /** One process, or empty if it is gone. */
  public static Optional<ProcNode> node(HostPaths paths, int pid) {
    Path dir = paths.proc(Integer.toString(pid));
    try {
      String stat = Files.readString(dir.resolve("stat"));
      String cmd;
      try (var in = Files.newInputStream(dir.resolve("cmdline"))) {
        cmd = new String(in.readNBytes(MAX_CMDLINE), StandardCharsets.UTF_8);
      }
      return Optional.of(ProcNode.parse(stat, cmd));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The sandbox {@code pid} belongs to, from its chain and cgroup paths; empty for none. */
  public static Optional<Sandbox> sandboxOf(HostPaths paths, int pid) {
    List<String> cgroups =
        ProcCgroups.read(paths, pid).map(ProcCgroups::candidates).orElse(List.of());
    return Sandboxes.recognise(chain(paths, pid), cgroups);
  }
}
