package dev.aiprof.agent.privilege;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code libaiprofcap.so} (agent/src/main/native/capdrop.h) through FFM: the drop on every thread
 * of this process. Thin: one call, its answer decoded into {@link ThreadAnswer}s. The library is
 * looked for as {@code lib/libaiprofcap.so} beside the agent's jar (or its classes directory),
 * where the build puts it; it is loaded once, for the life of the JVM. Thread-safe (the library
 * runs one drop at a time and answers {@code -EALREADY} to a second).
 */
final class CapDropLibrary {
  static final String FILE_NAME = "libaiprofcap.so";

  /** AIPROF_CAPDROP_ABI and sizeof(struct aiprof_capdrop_thread) in capdrop.h. */
  private static final int ABI = 1 << 16 | 12;

  /** AIPROF_CAPDROP_MAX_THREADS. */
  static final int MAX_THREADS = 4096;

  private static final MemoryLayout THREAD =
      MemoryLayout.structLayout(
          JAVA_INT.withName("tid"), JAVA_INT.withName("state"), JAVA_INT.withName("err"));

  /** What the library did on one thread. */
  record ThreadAnswer(int tid, State state, int errno) {}

  /** enum aiprof_capdrop_state. */
  enum State {
    PENDING,
    DROPPED,
    FAILED,
    GONE,
    NO_ANSWER,
    NOT_SENT;

    static State of(int v) {
      if (v < 0 || v >= values().length) {
        throw new IllegalStateException("libaiprofcap.so answered state " + v);
      }
      return values()[v];
    }
  }

  /** The answer of one call: the signal it used, one entry per thread seen (this one first). */
  record Answer(int signal, List<ThreadAnswer> threads) {}

  private final MethodHandle dropAll;

  private CapDropLibrary(MethodHandle dropAll) {
    this.dropAll = dropAll;
  }

  /** Where the build puts the library, beside the agent's code. */
  static Path shipped() {
    try {
      Path code =
          Path.of(CapDropLibrary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().resolve("lib").resolve(FILE_NAME);
    } catch (java.net.URISyntaxException | SecurityException e) {
      return Path.of("lib", FILE_NAME);
    }
  }

  /**
   * Loads the library at {@code path}.
   *
   * @throws IllegalStateException when it is missing, cannot be loaded or is of another ABI
   */
  static CapDropLibrary load(Path path) {
    if (!Files.isReadable(path)) {
      throw new IllegalStateException(FILE_NAME + " not found at " + path);
    }
    Linker l = Linker.nativeLinker();
    SymbolLookup lib;
    try {
      lib = SymbolLookup.libraryLookup(path, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cannot load " + path + ": " + e.getMessage(), e);
    }
    MethodHandle abi =
        l.downcallHandle(find(lib, "aiprof_capdrop_abi"), FunctionDescriptor.of(JAVA_INT));
    int got;
    try {
      got = (int) abi.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("aiprof_capdrop_abi: " + t, t);
    }
    if (got != ABI) {
      throw new IllegalStateException(
          path + " has ABI 0x" + Integer.toHexString(got) + ", not 0x" + Integer.toHexString(ABI));
    }
    return new CapDropLibrary(
        l.downcallHandle(
            find(lib, "aiprof_capdrop_all"),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)));
  }

  private static MemorySegment find(SymbolLookup lib, String name) {
    return lib.find(name)
        .orElseThrow(() -> new IllegalStateException(FILE_NAME + " lacks " + name));
  }

  /**
   * Keeps only {@code keep} (bit n: capability n) on every thread, waiting at most {@code timeout}
   * per enumeration of the threads (see capdrop.h).
   *
   * @throws IllegalStateException with the errno when the drop could not start
   */
  Answer dropAll(long keep, Duration timeout) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(THREAD, MAX_THREADS);
      MemorySegment signo = a.allocate(JAVA_INT);
      int n = (int) dropAll.invokeExact(keep, (int) timeout.toMillis(), out, MAX_THREADS, signo);
      if (n < 0) {
        throw new IllegalStateException(
            "aiprof_capdrop_all failed: " + dev.aiprof.bpf.Errno.describe(-n));
      }
      List<ThreadAnswer> threads = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long base = i * THREAD.byteSize();
        threads.add(
            new ThreadAnswer(
                out.get(JAVA_INT, base),
                State.of(out.get(JAVA_INT, base + 4)),
                out.get(JAVA_INT, base + 8)));
      }
      return new Answer(signo.get(JAVA_INT, 0), List.copyOf(threads));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
