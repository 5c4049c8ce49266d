package dev.aiprof.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Routes libbpf's own messages (which it would print to stderr) to {@link System.Logger} at debug
 * level, and keeps the last warnings of each thread so an exception can quote them. libbpf hands
 * over a printf format and a {@code va_list}; libc's {@code vsnprintf} formats them.
 */
final class LibBpfLog {
  private static final System.Logger LOG = System.getLogger("dev.aiprof.bpf.libbpf");
  private static final int KEEP = 20;
  private static final int LEVEL_WARN = 0;
  private static final ThreadLocal<Deque<String>> RECENT = ThreadLocal.withInitial(ArrayDeque::new);
  private static final MethodHandle VSNPRINTF =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().find("vsnprintf").orElseThrow(),
              FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
  private static volatile boolean installed;

  private LibBpfLog() {}

  /** Installs the hook once per JVM. */
  static synchronized void install() {
    if (installed) {
      return;
    }
    try {
      MethodHandle print =
          MethodHandles.lookup()
              .findStatic(
                  LibBpfLog.class,
                  "print",
                  MethodType.methodType(
                      int.class, int.class, MemorySegment.class, MemorySegment.class));
      MemorySegment stub =
          Linker.nativeLinker()
              .upcallStub(
                  print,
                  FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
                  Arena.global());
      MemorySegment previous = (MemorySegment) LibBpf.SET_PRINT.invokeExact(stub);
      installed = previous != null;
    } catch (Throwable t) {
      throw Native.rethrow(t);
    }
  }

  /** This thread's recent libbpf warnings, oldest first, and forgets them. */
  static List<String> takeRecentWarnings() {
    Deque<String> recent = RECENT.get();
    List<String> copy = List.copyOf(recent);
    recent.clear();
    return copy;
  }

  static void clearRecent() {
    RECENT.get().clear();
  }

  // Called from C: must never throw.
  private static int print(int level, MemorySegment format, MemorySegment args) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(1024);
      int n = (int) VSNPRINTF.invokeExact(buf, 1024L, format, args);
      String line = n < 0 ? "(unformattable libbpf message)" : buf.getString(0).stripTrailing();
      if (level == LEVEL_WARN) {
        Deque<String> recent = RECENT.get();
        if (recent.size() == KEEP) {
          recent.removeFirst();
        }
        recent.addLast(line);
      }
      LOG.log(System.Logger.Level.DEBUG, line);
    } catch (Throwable ignored) {
      // Losing a log line is better than unwinding into C.
    }
    return 0;
  }
}
