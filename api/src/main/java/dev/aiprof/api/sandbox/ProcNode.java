package dev.aiprof.api.sandbox;

import java.util.List;

/**
 * One process as {@link Sandboxes} needs it: from {@code /proc/PID/stat} (pid, ppid, comm, which
 * the kernel truncates to 15 bytes) and {@code /proc/PID/cmdline} (argv, NUL-separated; argv[0] is
 * what gVisor renames its processes to, since their comm is {@code exe}). Immutable.
 */
public record ProcNode(int pid, int ppid, String comm, List<String> argv) {
  public ProcNode {
    argv = List.copyOf(argv);
  }

  /** Base name of argv[0], else the comm. */
  public String program() {
    if (argv.isEmpty() || argv.getFirst().isEmpty()) {
      return comm;
    }
    String a = argv.getFirst();
    return a.substring(a.lastIndexOf('/') + 1);
  }

  /**
   * Parses the two files' text (pure).
   *
   * @param stat the {@code stat} line; the comm is between the first '(' and the last ')'
   * @param cmdline the {@code cmdline} bytes as text, NUL-separated (empty for kernel threads)
   */
  public static ProcNode parse(String stat, String cmdline) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    int pid = Integer.parseInt(stat.substring(0, open).strip());
    String comm = stat.substring(open + 1, close);
    String[] rest = stat.substring(close + 2).split(" ");
    int ppid = Integer.parseInt(rest[1]);
    String c = cmdline.endsWith("\0") ? cmdline.substring(0, cmdline.length() - 1) : cmdline;
    List<String> argv = c.isEmpty() ? List.of() : List.of(c.split("\0", -1));
    return new ProcNode(pid, ppid, comm, argv);
  }
}
