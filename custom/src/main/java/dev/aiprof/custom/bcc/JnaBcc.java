package dev.aiprof.custom.bcc;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.aiprof.api.log.ThrottledLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The native binding to {@code libbcc.so.0} through JNA: declarations written from BCC 0.26's
 * public headers ({@code bcc_usdt.h}, {@code bcc_common.h}), nothing else. Thin: each method is the
 * calls and the struct reads; the decisions are above it. BCC's USDT contexts are not documented as
 * thread-safe, so calls are serialised.
 */
public final class JnaBcc implements Bcc {
  /** The library's name, as Debian's libbpfcc installs it. */
  public static final String LIBRARY = "libbcc.so.0";

  // struct bcc_usdt { const char *provider, *name, *bin_path; u64 semaphore;
  //                   int num_locations, num_arguments; [u64 semaphore_offset, newer BCC only] }
  // semaphore_offset is not read: older BCC's struct ends before it. The semaphore's file offset
  // is derived from its address (offset 24, every version) through the binary's segments.
  private static final long PROVIDER = 0;
  private static final long NAME = 8;
  private static final long BIN_PATH = 16;
  private static final long SEMAPHORE = 24;
  private static final long NUM_LOCATIONS = 32;
  private static final long NUM_ARGUMENTS = 36;
  // struct bcc_usdt_location { u64 address; const char *bin_path; }
  private static final int LOCATION_SIZE = 16;
  private static final long LOCATION_BIN_PATH = 8;
  private static final ThrottledLog LOG = ThrottledLog.of(JnaBcc.class);

  interface Lib extends Library {
    Pointer bcc_usdt_new_frompath(String path);

    Pointer bcc_usdt_new_frompid(int pid, String path);

    void bcc_usdt_close(Pointer usdt);

    void bcc_usdt_foreach(Pointer usdt, UsdtCallback cb);

    int bcc_usdt_get_location(
        Pointer usdt, String provider, String probe, int index, Pointer location);

    Pointer bpf_module_create_c_from_string(
        String text, int flags, String[] cflags, int ncflags, boolean allowRlimit, String dev);

    void bpf_module_destroy(Pointer module);
  }

  interface UsdtCallback extends Callback {
    void invoke(Pointer usdt);
  }

  private final Lib lib;

  private JnaBcc(Lib lib) {
    this.lib = lib;
  }

  /**
   * Loads {@code libbcc.so.0}.
   *
   * @throws BccException when it is not installed
   */
  public static JnaBcc load() {
    try {
      return new JnaBcc(Native.load(LIBRARY, Lib.class));
    } catch (UnsatisfiedLinkError e) {
      throw new BccException(
          "libbcc.so.0 not found: install BCC's library (Debian: apt-get install libbpfcc)");
    }
  }

  @Override
  public synchronized List<UsdtProbe> usdtProbes(Path binary) {
    Pointer ctx = lib.bcc_usdt_new_frompath(binary.toString());
    if (ctx == null) {
      throw new BccException("BCC cannot read USDT probes of " + binary + " (not an ELF file?)");
    }
    return probes(ctx);
  }

  @Override
  public synchronized List<UsdtProbe> usdtProbes(int pid) {
    Pointer ctx = lib.bcc_usdt_new_frompid(pid, null);
    if (ctx == null) {
      throw new BccException("BCC cannot read the USDT probes of pid " + pid + " (gone?)");
    }
    return probes(ctx);
  }

  private List<UsdtProbe> probes(Pointer ctx) {
    try {
      List<UsdtProbe> out = new ArrayList<>();
      UsdtCallback cb =
          p -> {
            String provider = p.getPointer(PROVIDER).getString(0);
            String name = p.getPointer(NAME).getString(0);
            Path bin = Path.of(p.getPointer(BIN_PATH).getString(0));
            long semaphore = p.getLong(SEMAPHORE);
            int n = p.getInt(NUM_LOCATIONS);
            // each location names its own binary (a probe of a pid spans libraries)
            Map<Path, List<Long>> byBinary = new LinkedHashMap<>();
            Memory loc = new Memory(LOCATION_SIZE);
            for (int i = 0; i < n; i++) {
              if (lib.bcc_usdt_get_location(ctx, provider, name, i, loc) == 0) {
                Pointer path = loc.getPointer(LOCATION_BIN_PATH);
                Path b = path == null ? bin : Path.of(path.getString(0));
                byBinary.computeIfAbsent(b, k -> new ArrayList<>()).add(loc.getLong(0));
              }
            }
            byBinary.forEach(
                (b, sites) ->
                    probe(
                            provider,
                            name,
                            b,
                            b.equals(bin) || semaphore == 0 ? semaphore : -1,
                            sites,
                            p)
                        .ifPresent(out::add));
          };
      lib.bcc_usdt_foreach(ctx, cb);
      return out;
    } finally {
      lib.bcc_usdt_close(ctx);
    }
  }

  /**
   * The probe's sites in one binary as uprobe file offsets, its semaphore's file offset ({@code
   * semaphore} the address BCC gives, 0 none, -1 unknown: another binary than the probe's own);
   * empty, logged with the reason, when a site or the semaphore has no safe offset.
   */
  private static Optional<UsdtProbe> probe(
      String provider, String name, Path binary, long semaphore, List<Long> sites, Pointer p) {
    String id = provider + ":" + name + " in " + binary;
    ElfSegments segments;
    try {
      segments = ElfSegments.read(binary);
    } catch (IOException | RuntimeException e) {
      return skipped(id, "cannot read its ELF segments: " + e.getMessage());
    }
    List<Long> offsets = new ArrayList<>();
    for (long vaddr : sites) {
      OptionalLong off = segments.fileOffset(vaddr);
      if (off.isEmpty()) {
        return skipped(id, "no PT_LOAD segment holds site 0x" + Long.toHexString(vaddr));
      }
      offsets.add(off.getAsLong());
    }
    long semaphoreOffset = 0;
    if (semaphore == -1) {
      return skipped(id, "its semaphore in this binary is unknown (BCC reports one binary's)");
    } else if (semaphore != 0) {
      OptionalLong off = segments.semaphoreOffset(semaphore);
      if (off.isEmpty()) {
        return skipped(
            id,
            "semaphore 0x"
                + Long.toHexString(semaphore)
                + " is not 2-byte aligned in a writable PT_LOAD segment");
      }
      semaphoreOffset = off.getAsLong();
    }
    return Optional.of(
        new UsdtProbe(provider, name, binary, semaphoreOffset, offsets, p.getInt(NUM_ARGUMENTS)));
  }

  private static Optional<UsdtProbe> skipped(String id, String why) {
    LOG.log(System.Logger.Level.WARNING, "usdt-skipped", "USDT probe " + id + " skipped: " + why);
    return Optional.empty();
  }

  @Override
  public synchronized long compile(String source, List<String> cflags) {
    Pointer m =
        lib.bpf_module_create_c_from_string(
            source, 0, cflags.toArray(String[]::new), cflags.size(), false, null);
    if (m == null) {
      throw new BccException("BCC could not compile the program (its clang printed why above)");
    }
    return Pointer.nativeValue(m);
  }

  @Override
  public synchronized void destroy(long module) {
    if (module != 0) {
      lib.bpf_module_destroy(new Pointer(module));
    }
  }
}
