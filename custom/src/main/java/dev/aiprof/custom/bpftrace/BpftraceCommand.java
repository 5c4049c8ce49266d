package dev.aiprof.custom.bpftrace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line a script runs with: {@code setpriv --pdeathsig KILL -- BPFTRACE -f json FILE}.
 * {@code setpriv} (util-linux) sets PR_SET_PDEATHSIG, which a JVM cannot set on a child, and execs
 * bpftrace, which keeps it: bpftrace gets SIGKILL when the agent's thread that started it ends,
 * whatever ended the agent.
 */
final class BpftraceCommand {
  private BpftraceCommand() {}

  /**
   * {@code setpriv} and bpftrace, found on PATH (or as given).
   *
   * @throws IllegalArgumentException naming what is missing and the fix
   */
  static List<String> resolve(String bpftrace) {
    Path setpriv = which("setpriv");
    if (setpriv == null) {
      throw new IllegalArgumentException(
          "setpriv is not installed (it kills bpftrace with the agent): install util-linux");
    }
    Path b = which(bpftrace);
    if (b == null) {
      throw new IllegalArgumentException(
          "bpftrace.command="
              + bpftrace
              + ": not found; install bpftrace (Debian: apt-get install bpftrace) or give its path");
    }
    return List.of(setpriv.toString(), "--pdeathsig", "KILL", "--", b.toString());
  }

  static List<String> command(List<String> prefix, Path script) {
    List<String> c = new ArrayList<>(prefix);
    c.addAll(List.of("-f", "json", script.toString()));
    return c;
  }

  static Path which(String name) {
    if (name.contains("/")) {
      Path p = Path.of(name);
      return Files.isExecutable(p) ? p : null;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
