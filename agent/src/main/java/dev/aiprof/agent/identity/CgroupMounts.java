package dev.aiprof.agent.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where this host mounts its cgroup hierarchies, parsed from {@code /proc/self/mountinfo}: the v2
 * (unified) hierarchy and the v1 memory hierarchy. Hosts are v1-only, v2-only or hybrid (both).
 *
 * @param v2 the cgroup2 mount, if any
 * @param v1Memory the v1 hierarchy carrying the memory controller, if any
 */
public record CgroupMounts(Optional<Path> v2, Optional<Path> v1Memory) {

  public static CgroupMounts read(Path mountinfo) {
    try {
      return parse(Files.readAllLines(mountinfo));
    } catch (IOException e) {
      throw new UncheckedIOException("read " + mountinfo, e);
    }
  }

  /** Parses mountinfo lines (pure). */
  public static CgroupMounts parse(List<String> lines) {
    Optional<Path> v2 = Optional.empty();
    Optional<Path> memory = Optional.empty();
    for (String line : lines) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) {
        continue;
      }
      Path mountPoint = Path.of(unescape(pre[4]));
      if (post[0].equals("cgroup2") && v2.isEmpty()) {
        v2 = Optional.of(mountPoint);
      } else if (post[0].equals("cgroup")
          && List.of(post[2].split(",")).contains("memory")
          && memory.isEmpty()) {
        memory = Optional.of(mountPoint);
      }
    }
    return new CgroupMounts(v2, memory);
  }

  /** "v2", "v1" or "hybrid", or "none". */
  public String layout() {
    if (v2.isPresent() && v1Memory.isPresent()) {
      return "hybrid";
    }
    return v2.isPresent() ? "v2" : v1Memory.isPresent() ? "v1" : "none";
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    return s.replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }
}
