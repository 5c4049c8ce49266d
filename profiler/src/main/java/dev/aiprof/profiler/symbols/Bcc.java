package dev.aiprof.profiler.symbols;

/**
 * The part of BCC's {@code libbcc.so.0} the profiler uses: its symboliser, which reads a process's
 * maps and ELF files (symbol tables, build ids, debuginfo where present) and needs no kernel
 * headers. {@link JnaBcc} binds it; tests of everything above use a hand-written fake.
 *
 * <p>Thread-safety: a cache is used by one thread at a time (callers serialize).
 */
public interface Bcc {
  /** What {@code bcc_symcache_resolve} found: name null when only the module is known. */
  record Symbol(String name, String module, long offset) {}

  /** {@code bcc_symcache_new(pid, NULL)}: a handle (0 when it could not be made). */
  long newCache(int pid);

  /**
   * {@code bcc_symcache_resolve_no_demangle}: the function containing {@code address}, or the
   * module and offset when it has no symbol there; null when not even the module is known.
   */
  Symbol resolve(long cache, long address);

  /** {@code bcc_free_symcache}. */
  void freeCache(long cache, int pid);
}
