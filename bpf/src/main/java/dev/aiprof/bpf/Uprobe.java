package dev.aiprof.bpf;

import java.nio.file.Path;

/**
 * Where to attach a uprobe: a function by name in an ELF file (executable or shared library),
 * optionally in one process only, at entry or at return, with a cookie the program reads through
 * {@code bpf_get_attach_cookie()}.
 *
 * @param binary path of the ELF file; a bare library name ("libc.so.6") is searched for by libbpf
 * @param function symbol name, optionally library-qualified ("malloc@GLIBC_2.2.5")
 * @param pid process to trace, or -1 for every process that maps the file
 * @param returnProbe attach at function return (uretprobe)
 * @param cookie 64-bit value for the program
 */
public record Uprobe(Path binary, String function, int pid, boolean returnProbe, long cookie) {
  public static final int ALL_PROCESSES = -1;

  public static Uprobe entry(Path binary, String function) {
    return new Uprobe(binary, function, ALL_PROCESSES, false, 0);
  }

  public static Uprobe exit(Path binary, String function) {
    return new Uprobe(binary, function, ALL_PROCESSES, true, 0);
  }

  public Uprobe withPid(int newPid) {
    return new Uprobe(binary, function, newPid, returnProbe, cookie);
  }

  public Uprobe withCookie(long newCookie) {
    return new Uprobe(binary, function, pid, returnProbe, newCookie);
  }
}
