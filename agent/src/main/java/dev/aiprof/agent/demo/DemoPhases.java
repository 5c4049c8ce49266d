package dev.aiprof.agent.demo;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The demo workload's phase marks: {@code aiprof_phase_begin/end} of the libaiprof.so shipped next
 * to the agent's jar ({@code lib/libaiprof.so}), called through FFM the way an application would.
 * Without the library the marks do nothing and the demo still runs. Names are allocated once.
 */
final class DemoPhases {
  private static final MethodHandle BEGIN;
  private static final MethodHandle END;

  static {
    MethodHandle b = null;
    MethodHandle e = null;
    Path lib = library();
    if (lib != null) {
      Linker l = Linker.nativeLinker();
      SymbolLookup s = SymbolLookup.libraryLookup(lib, Arena.global());
      b =
          l.downcallHandle(
              s.find("aiprof_phase_begin").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
      e = l.downcallHandle(s.find("aiprof_phase_end").orElseThrow(), FunctionDescriptor.ofVoid());
    }
    BEGIN = b;
    END = e;
  }

  private DemoPhases() {}

  /** A phase name as a C string, made once. */
  static MemorySegment name(String phase) {
    return Arena.global().allocateFrom(phase);
  }

  static void begin(MemorySegment name) {
    if (BEGIN != null) {
      try {
        BEGIN.invokeExact(name);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  static void end() {
    if (END != null) {
      try {
        END.invokeExact();
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  /** lib/libaiprof.so beside the agent's jar (or classes directory), if it is there. */
  static Path library() {
    return ShippedLibrary.path();
  }
}
