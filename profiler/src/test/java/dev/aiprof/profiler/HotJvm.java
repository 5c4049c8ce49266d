package dev.aiprof.profiler;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The JVM fixture: a child JVM that marks phases through libaiprof.so (FFM) and spends phase "hot"
 * in {@link #spin}, which the JIT compiles (the test runs it with {@code dontinline}, so it stays a
 * frame of its own). The line protocol is the C fixtures' with a warm-up step ({@code ready},
 * {@code warm} (runs phase "warmup" and answers {@code warm}), {@code go}, {@code phase ...},
 * {@code done}, {@code exit}). Usage: {@code HotJvm LIBAIPROF ROUNDS PHASE_MS}.
 */
public final class HotJvm {
  private static volatile long sink;

  private HotJvm() {}

  /** A few hundred nanoseconds of integer work. */
  static long spin(long x) {
    for (int i = 0; i < 200; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }

  private static void hot(long until) {
    long x = 1;
    while (System.nanoTime() < until) {
      for (int i = 0; i < 100; i++) {
        x = spin(x);
      }
    }
    sink = x;
  }

  public static void main(String[] args) throws Throwable {
    Arena arena = Arena.global();
    SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(args[0]), arena);
    Linker l = Linker.nativeLinker();
    MethodHandle begin =
        l.downcallHandle(
            lib.find("aiprof_phase_begin").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    MethodHandle end =
        l.downcallHandle(lib.find("aiprof_phase_end").orElseThrow(), FunctionDescriptor.ofVoid());
    int rounds = Integer.parseInt(args[1]);
    long phaseNs = Long.parseLong(args[2]) * 1_000_000;
    MemorySegment name = arena.allocateFrom("hot");
    System.out.println("ready");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    while (!"warm".equals(in.readLine())) {}
    begin.invokeExact(arena.allocateFrom("warmup")); // the first marker call: followed from here
    hot(System.nanoTime() + 1_500_000_000L); // spin is compiled before the first "hot" phase
    end.invokeExact();
    System.out.println("warm");
    while (!"go".equals(in.readLine())) {}
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      begin.invokeExact(name);
      hot(start + phaseNs);
      end.invokeExact();
      System.out.println("phase hot " + start + " " + System.nanoTime());
      Thread.sleep(50);
    }
    System.out.println("done");
    while (!"exit".equals(in.readLine())) {}
  }
}
