package dev.aiprof.reference.trace;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Phase marks through {@code libaiprof.so} ({@code marker/include/aiprof.h}), called through FFM
 * the way any application calls it: {@code aiprof_phase_begin(name)} / {@code aiprof_phase_end()}.
 * The agent catches the calls with uprobes; nothing is sent from this process. {@link #NONE} marks
 * nothing (no library given). Names become C strings once and are kept. Thread-safe.
 */
public final class Marker {
  /** Marks nothing. */
  public static final Marker NONE = new Marker(null, null, null);

  private final MethodHandle begin;
  private final MethodHandle end;
  private final Path library;
  private final Map<String, MemorySegment> names = new ConcurrentHashMap<>();

  private Marker(MethodHandle begin, MethodHandle end, Path library) {
    this.begin = begin;
    this.end = end;
    this.library = library;
  }

  /**
   * Loads the library.
   *
   * @throws IllegalArgumentException when it is not there or lacks the ABI's functions
   */
  public static Marker load(Path library) {
    if (!Files.isReadable(library)) {
      throw new IllegalArgumentException(
          "marker library " + library + " is not readable: build it with make -C marker");
    }
    Linker l = Linker.nativeLinker();
    SymbolLookup s = SymbolLookup.libraryLookup(library, Arena.global());
    MethodHandle b =
        l.downcallHandle(
            s.find("aiprof_phase_begin")
                .orElseThrow(
                    () -> new IllegalArgumentException(library + ": no aiprof_phase_begin")),
            FunctionDescriptor.ofVoid(ADDRESS));
    MethodHandle e =
        l.downcallHandle(
            s.find("aiprof_phase_end")
                .orElseThrow(() -> new IllegalArgumentException(library + ": no aiprof_phase_end")),
            FunctionDescriptor.ofVoid());
    return new Marker(b, e, library);
  }

  /** The library, or null for {@link #NONE}. */
  public Path library() {
    return library;
  }

  public void begin(String name) {
    if (begin == null) {
      return;
    }
    MemorySegment c = names.computeIfAbsent(name, n -> Arena.global().allocateFrom(n));
    try {
      begin.invokeExact(c);
    } catch (Throwable t) {
      throw new IllegalStateException("aiprof_phase_begin failed", t);
    }
  }

  public void end() {
    if (end == null) {
      return;
    }
    try {
      end.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("aiprof_phase_end failed", t);
    }
  }
}
