package dev.aiprof.bpf;

import java.nio.file.Path;

/**
 * Where to attach a uprobe: a function by name, or an offset, in an ELF file (executable or shared
 * library), optionally in one process only, at entry or at return, with a cookie the program reads
 * through {@code bpf_get_attach_cookie()}.
 *
 * @param binary path of the ELF file; a bare library name ("libc.so.6") is searched for by libbpf
 * @param function symbol name, optionally library-qualified ("malloc@GLIBC_2.2.5"); null to attach
 *     at {@code offset} alone
 * @param pid process to trace, or -1 for every process that maps the file
 * @param returnProbe attach at function return (uretprobe)
 * @param cookie 64-bit value for the program
 * @param offset with a function, bytes past its start; without, the file offset of the instruction
 *     (a symbol's value converted through its section: {@code st_value - sh_addr + sh_offset})
 */
public record Uprobe(
    Path binary, String function, int pid, boolean returnProbe, long cookie, long offset) {
  public static final int ALL_PROCESSES = -1;

  public Uprobe {
    if (binary == null) {
      throw new IllegalArgumentException("uprobe needs a binary");
    }
    if (offset < 0 || (function == null && offset == 0)) {
      throw new IllegalArgumentException(
          "uprobe on " + binary + " needs a function or a positive offset, was " + offset);
    }
  }

  /** A probe at a function's entry (offset 0). */
  public Uprobe(Path binary, String function, int pid, boolean returnProbe, long cookie) {
    this(binary, function, pid, returnProbe, cookie, 0);
  }

  public static Uprobe entry(Path binary, String function) {
    return new Uprobe(binary, function, ALL_PROCESSES, false, 0);
  }

  public static Uprobe exit(Path binary, String function) {
    return new Uprobe(binary, function, ALL_PROCESSES, true, 0);
  }

  /**
   * A probe at file offset {@code offset} of {@code binary}, with no symbol lookup: for stripped
   * binaries, or offsets found by other means (CUDA libraries' entry points, a JIT's map).
   */
  public static Uprobe atOffset(Path binary, long offset) {
    return new Uprobe(binary, null, ALL_PROCESSES, false, 0, offset);
  }

  public Uprobe withPid(int newPid) {
    return new Uprobe(binary, function, newPid, returnProbe, cookie, offset);
  }

  public Uprobe withCookie(long newCookie) {
    return new Uprobe(binary, function, pid, returnProbe, newCookie, offset);
  }

  /** The same place, probed at return (a uretprobe: at an offset, that of a function's entry). */
  public Uprobe asReturnProbe() {
    return new Uprobe(binary, function, pid, true, cookie, offset);
  }

  /** "binary:function", "binary:function+0x10" or "binary:0x1234", for messages. */
  public String location() {
    String hex = "0x" + Long.toHexString(offset);
    return binary + ":" + (function == null ? hex : offset == 0 ? function : function + "+" + hex);
  }
}
