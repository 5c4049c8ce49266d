package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BPF ELF object opened by libbpf: its programs, maps and BTF. The lifecycle is open → configure
 * (constants, autoload, map sizes) → {@link #load()} → attach programs → {@link #close()}, which
 * detaches every link made from it and frees the kernel objects.
 *
 * <p>Configuration and loading are for one thread. After load, maps and programs may be used from
 * any thread; {@link #close()} must not race with their use.
 */
public final class BpfObject implements AutoCloseable {
  private static final int LOG_BUF_SIZE = 1 << 20;

  private final String name;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment obj;
  private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
  private final Map<String, BpfMap> maps = new LinkedHashMap<>();
  private final List<BpfLink> links = new ArrayList<>();
  private boolean loaded;
  private boolean closed;

  private BpfObject(String name, byte[] elf) {
    Native.ensureLibBpf();
    LibBpfLog.install();
    this.name = name;
    MemorySegment buf = arena.allocate(elf.length, 8);
    buf.copyFrom(MemorySegment.ofArray(elf));
    MemorySegment opts = arena.allocate(16, 8);
    opts.set(JAVA_LONG, 0, 16);
    opts.set(ValueLayout.ADDRESS, 8, arena.allocateFrom(name));
    try (Arena call = Arena.ofConfined()) {
      MemorySegment errno = LibBpf.errnoSlot(call);
      MemorySegment o =
          (MemorySegment) LibBpf.OBJECT_OPEN_MEM.invokeExact(errno, buf, (long) elf.length, opts);
      if (Native.isNull(o)) {
        int e = LibBpf.errno(errno);
        arena.close();
        throw new BpfException("open " + name + warnings(), e);
      }
      this.obj = o;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
    collect();
  }

  /** Opens an object from its ELF bytes; {@code name} is for messages and kernel object names. */
  public static BpfObject open(String name, byte[] elf) {
    return new BpfObject(name, elf);
  }

  /**
   * Opens an object compiled into this project's jars as {@code /bpf/<stem>.bpf.o}, found through
   * {@code anchor}'s class loader.
   */
  public static BpfObject openResource(Class<?> anchor, String stem) {
    String path = "/bpf/" + stem + ".bpf.o";
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new BpfException("open " + path + ": not on the class path (was the build run?)", 0);
      }
      return open(stem, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("read " + path, e);
    }
  }

  public String name() {
    return name;
  }

  /** The object's own BTF (types from its C sources), valid until close. */
  public Btf btf() {
    checkOpen();
    try {
      MemorySegment b = (MemorySegment) LibBpf.OBJECT_BTF.invokeExact(obj);
      if (Native.isNull(b)) {
        throw new BpfException(name + " has no BTF (compile with -g)", 0);
      }
      return new Btf(b);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * Sets a {@code const volatile} global of the object before load. Integers of 1, 2, 4 or 8 bytes
   * and bools; the value must fit.
   */
  public BpfObject setConstant(String variable, long value) {
    checkNotLoaded("set constant " + variable);
    Btf.Var v = btf().sectionVars(".rodata").get(variable);
    if (v == null) {
      throw new IllegalArgumentException(name + " has no const volatile variable " + variable);
    }
    MemorySegment rodata = rodata();
    switch ((int) v.size()) {
      case 1 -> rodata.set(ValueLayout.JAVA_BYTE, v.offset(), (byte) checked(variable, value, 8));
      case 2 ->
          rodata.set(
              ValueLayout.JAVA_SHORT_UNALIGNED, v.offset(), (short) checked(variable, value, 16));
      case 4 ->
          rodata.set(
              ValueLayout.JAVA_INT_UNALIGNED, v.offset(), (int) checked(variable, value, 32));
      case 8 -> rodata.set(ValueLayout.JAVA_LONG_UNALIGNED, v.offset(), value);
      default ->
          throw new IllegalArgumentException(
              variable + " is " + v.size() + " bytes, not an integer");
    }
    return this;
  }

  public BpfObject setConstant(String variable, boolean value) {
    return setConstant(variable, value ? 1 : 0);
  }

  public BpfProgram program(String programName) {
    BpfProgram p = programs.get(programName);
    if (p == null) {
      throw new IllegalArgumentException(name + " has no program " + programName);
    }
    return p;
  }

  public List<BpfProgram> programs() {
    return List.copyOf(programs.values());
  }

  public BpfMap map(String mapName) {
    BpfMap m = maps.get(mapName);
    if (m == null) {
      throw new IllegalArgumentException(name + " has no map " + mapName);
    }
    return m;
  }

  public List<BpfMap> maps() {
    return List.copyOf(maps.values());
  }

  /**
   * Loads maps and the autoload programs into the kernel. A verifier rejection throws {@link
   * BpfLoadException} carrying the verifier log of the rejected program; a program of a kind this
   * host does not support (probed, e.g. fentry) throws {@link UnsupportedFeatureException}.
   */
  public void load() {
    checkNotLoaded("load");
    LibBpfLog.clearRecent();
    try (Arena logs = Arena.ofConfined()) {
      Map<BpfProgram, MemorySegment> logBufs = new LinkedHashMap<>();
      for (BpfProgram p : programs.values()) {
        if (p.autoload()) {
          MemorySegment buf = logs.allocate(LOG_BUF_SIZE);
          p.setLogBuffer(buf);
          logBufs.put(p, buf);
        }
      }
      // libbpf writes a program's log only while loading it (and only on failure at log level 0),
      // so the buffers may go away with this arena.
      int rc = (int) LibBpf.OBJECT_LOAD.invokeExact(obj);
      if (rc < 0) {
        String warnings = String.join("\n", LibBpfLog.takeRecentWarnings());
        for (var e : logBufs.entrySet()) {
          String log = e.getValue().getString(0);
          if (!log.isBlank()) {
            throw rejected(e.getKey(), -rc, log);
          }
        }
        BpfProgram failed = programs.get(Refusals.failedProgram(List.of(warnings.split("\n"))));
        if (failed != null) {
          throw rejected(failed, -rc, warnings);
        }
        throw new BpfLoadException(name, null, -rc, warnings);
      }
      loaded = true;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /**
   * A program the kernel would not load: {@link UnsupportedFeatureException} when its kind needs a
   * feature this host lacks (a fentry program where trampolines are refused), else the verifier's
   * {@link BpfLoadException}.
   */
  private BpfException rejected(BpfProgram p, int errno, String log) {
    Feature f = Refusals.featureOf(p.section());
    if (f != null && !FeatureProber.probing() && !FeatureProber.host(f).supported()) {
      return UnsupportedFeatureException.refused(f, "load " + name + " program " + p.name(), errno);
    }
    return new BpfLoadException(name, p.name(), errno, log);
  }

  public boolean loaded() {
    return loaded;
  }

  /** Detaches every link made from this object's programs, then frees programs and maps. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (BpfLink l : List.copyOf(links)) {
      l.close();
    }
    try {
      LibBpf.OBJECT_CLOSE.invokeExact(obj);
    } catch (Throwable t) {
      throw Native.rethrow(t);
    } finally {
      arena.close();
    }
  }

  synchronized BpfLink track(BpfLink link) {
    links.add(link);
    return link;
  }

  synchronized void untrack(BpfLink link) {
    links.remove(link);
  }

  void checkLoaded(String what) {
    checkOpen();
    if (!loaded) {
      throw new IllegalStateException(what + ": " + name + " is not loaded yet");
    }
  }

  void checkNotLoaded(String what) {
    checkOpen();
    if (loaded) {
      throw new IllegalStateException(what + ": " + name + " is already loaded");
    }
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
  }

  private MemorySegment rodata() {
    BpfMap m =
        maps.values().stream()
            .filter(x -> x.name().endsWith(".rodata"))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(name + " has no .rodata section"));
    try (Arena call = Arena.ofConfined()) {
      MemorySegment size = call.allocate(JAVA_LONG);
      MemorySegment data = (MemorySegment) LibBpf.MAP_INITIAL_VALUE.invokeExact(m.handle(), size);
      if (Native.isNull(data)) {
        throw new BpfException("read .rodata of " + name, 0);
      }
      return data.reinterpret(size.get(JAVA_LONG, 0));
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private void collect() {
    try {
      MemorySegment p = MemorySegment.NULL;
      while (!Native.isNull(p = (MemorySegment) LibBpf.OBJECT_NEXT_PROGRAM.invokeExact(obj, p))) {
        BpfProgram prog = new BpfProgram(this, p);
        programs.put(prog.name(), prog);
      }
      MemorySegment m = MemorySegment.NULL;
      while (!Native.isNull(m = (MemorySegment) LibBpf.OBJECT_NEXT_MAP.invokeExact(obj, m))) {
        BpfMap map = new BpfMap(this, m);
        maps.put(map.name(), map);
      }
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  private static String warnings() {
    List<String> w = LibBpfLog.takeRecentWarnings();
    return w.isEmpty() ? "" : " (" + w.get(w.size() - 1) + ")";
  }

  private static long checked(String variable, long value, int bits) {
    long min = -(1L << (bits - 1));
    long maxUnsigned = (1L << bits) - 1;
    if (value < min || value > maxUnsigned) {
      throw new IllegalArgumentException(
          variable + " = " + value + " does not fit " + bits + " bits");
    }
    return value;
  }
}
