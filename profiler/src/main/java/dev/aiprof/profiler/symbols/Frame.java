package dev.aiprof.profiler.symbols;

/**
 * One symbolised frame: a function name where one was found, else the module and the offset in it
 * (or the bare address when not even the module is known). Never null, never dropped.
 *
 * @param function the function's name, or null when unresolved
 * @param module the ELF file or "[kernel]", "[jit]"; null when unknown
 * @param offset the address's offset in the module (unresolved) or in the function (resolved)
 * @param address the instruction pointer
 */
public record Frame(String function, String module, long offset, long address) {
  /** An address nothing knows. */
  public static Frame unknown(long address) {
    return new Frame(null, null, 0, address);
  }

  public boolean resolved() {
    return function != null;
  }

  /** The name a profile shows: the function, else {@code module+0xoffset}, else the address. */
  public String label() {
    if (function != null) {
      return function;
    }
    if (module != null) {
      return baseName(module) + "+0x" + Long.toHexString(offset);
    }
    return "0x" + Long.toHexString(address);
  }

  private static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
