package dev.aiprof.bpf.fileio;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which tracepoints this host has, from tracefs ({@code events/<category>/<name>}): the feature
 * probe behind the file-I/O probe's choice of programs (syscall tracepoints exist only with
 * CONFIG_FTRACE_SYSCALLS, {@code preadv2} only since 4.6, the page-cache one may be absent).
 * Immutable.
 *
 * @param roots tracefs mount points to look in, first match wins
 */
public record Tracefs(List<Path> roots) {
  /** The two places the kernel's tracefs is mounted. */
  public static Tracefs host() {
    return new Tracefs(
        List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing")));
  }

  /** Whether any root has {@code events/<category>/<name>}. */
  public boolean has(String category, String name) {
    for (Path r : roots) {
      if (Files.isDirectory(r.resolve("events").resolve(category).resolve(name))) {
        return true;
      }
    }
    return false;
  }

  /** Whether any root is a mounted tracefs with events (else nothing can be told). */
  public boolean mounted() {
    return roots.stream().anyMatch(r -> Files.isDirectory(r.resolve("events")));
  }

  /**
   * Why no tracepoint can be found: tracefs is mode 0700 and owned by uid 0, so a non-root user
   * without CAP_DAC_READ_SEARCH cannot look into it (libbpf's attach could not either); or it is
   * not mounted.
   */
  public String whyNone() {
    for (Path r : roots) {
      if (Files.exists(r) && !Files.isReadable(r)) {
        return "tracefs at "
            + r
            + " is not readable (mode 0700, uid 0): run as root or grant"
            + " CAP_DAC_READ_SEARCH";
      }
    }
    return "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)";
  }
}
