package dev.aiprof.profiler.symbols;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * {@link Bcc} over {@code libbcc.so.0} through JNA (Debian {@code libbpfcc}). {@link #load} fails
 * with {@link UnsatisfiedLinkError} where the library is missing; callers then resolve with the
 * process's maps only (module + offset). Thin: no logic beyond the calls.
 */
public final class JnaBcc implements Bcc {
  /** {@code struct bcc_symbol} of bcc_syms.h. */
  @Structure.FieldOrder({"name", "demangle_name", "module", "offset"})
  public static final class BccSymbol extends Structure {
    public Pointer name;
    public Pointer demangle_name;
    public Pointer module;
    public long offset;
  }

  interface Lib extends Library {
    Pointer bcc_symcache_new(int pid, Pointer option);

    int bcc_symcache_resolve_no_demangle(Pointer cache, long addr, BccSymbol sym);

    void bcc_free_symcache(Pointer cache, int pid);
  }

  private final Lib lib;

  private JnaBcc(Lib lib) {
    this.lib = lib;
  }

  /** Loads {@code name} (normally {@code bcc}, found as libbcc.so.0 by JNA). */
  public static JnaBcc load(String name) {
    return new JnaBcc(Native.load(name, Lib.class));
  }

  /** Loads libbcc.so.0. */
  public static JnaBcc load() {
    return load("libbcc.so.0");
  }

  @Override
  public long newCache(int pid) {
    return Pointer.nativeValue(lib.bcc_symcache_new(pid, null));
  }

  @Override
  public Symbol resolve(long cache, long address) {
    BccSymbol s = new BccSymbol();
    int rc = lib.bcc_symcache_resolve_no_demangle(new Pointer(cache), address, s);
    String module = s.module == null ? null : s.module.getString(0);
    if (rc == 0 && s.name != null) {
      return new Symbol(s.name.getString(0), module, s.offset);
    }
    return module == null ? null : new Symbol(null, module, s.offset);
  }

  @Override
  public void freeCache(long cache, int pid) {
    if (cache != 0) {
      lib.bcc_free_symcache(new Pointer(cache), pid);
    }
  }
}
