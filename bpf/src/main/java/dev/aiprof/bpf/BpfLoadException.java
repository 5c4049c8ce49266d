package dev.aiprof.bpf;

/**
 * The kernel refused to load a program. Keeps the verifier's log, which says why: print it when the
 * message alone does not help (a verifier rejection, unlike a missing feature, is a bug in the
 * program or a kernel difference CO-RE could not bridge).
 */
public final class BpfLoadException extends BpfException {
  private static final long serialVersionUID = 1L;
  private final String program;
  private final String verifierLog;

  public BpfLoadException(String object, String program, int errno, String verifierLog) {
    super(
        "load "
            + object
            + (program == null ? "" : " program " + program)
            + reason(program, verifierLog),
        errno);
    this.program = program;
    this.verifierLog = verifierLog == null ? "" : verifierLog;
  }

  /** The program the kernel rejected, or null when the failure was not tied to one. */
  public String program() {
    return program;
  }

  /** The verifier's log for the rejected program; empty when the kernel gave none. */
  public String verifierLog() {
    return verifierLog;
  }

  /** The last lines of the verifier log: usually where the reason is. */
  public String verifierLogTail(int lines) {
    String[] all = verifierLog.strip().split("\n");
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
  }

  /**
   * ", rejected by the verifier (R1 invalid mem access 'scalar')": the log's last line that is not
   * its statistics, for a program's log; empty when there is none.
   */
  static String reason(String program, String verifierLog) {
    if (program == null || verifierLog == null) {
      return "";
    }
    String[] lines = verifierLog.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      String l = lines[i].strip();
      if (!l.isEmpty()
          && !l.startsWith("processed ")
          && !l.startsWith("verification time")
          && !l.startsWith("stack depth")
          && !l.startsWith("-- END PROG LOAD LOG --")
          && !l.startsWith("libbpf:")) {
        return ", rejected by the verifier (" + l + ")";
      }
    }
    return "";
  }
}
