package dev.aiprof.reference.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread as the kernel knows it: its thread id ({@code gettid}, what aiprof's probes
 * and the OTLP {@code thread.id} attribute name) and its CPU affinity ({@code sched_setaffinity}).
 * Thin FFM calls into libc; thread-safe.
 */
public final class LinuxThreads {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle GETTID =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("gettid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle SETAFFINITY =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("sched_setaffinity").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
  private static final ThreadLocal<Integer> TID = ThreadLocal.withInitial(LinuxThreads::gettid);

  private LinuxThreads() {}

  /** The calling thread's kernel thread id (cached per thread). */
  public static int tid() {
    return TID.get();
  }

  private static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("gettid failed", t);
    }
  }

  /**
   * Pins the calling thread to one CPU.
   *
   * @throws IllegalArgumentException when the kernel refuses (no such CPU, not allowed)
   */
  public static void pinTo(int cpu) {
    if (cpu < 0 || cpu >= 1024) {
      throw new IllegalArgumentException("cpu " + cpu + " is out of range 0-1023");
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment mask = a.allocate(128, 8); // cpu_set_t: 1024 bits
      long word = mask.get(JAVA_LONG, (cpu / 64) * 8L);
      mask.set(JAVA_LONG, (cpu / 64) * 8L, word | (1L << (cpu % 64)));
      int rc = (int) SETAFFINITY.invokeExact(0, 128L, mask);
      if (rc != 0) {
        throw new IllegalArgumentException("sched_setaffinity to CPU " + cpu + " failed");
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("sched_setaffinity failed", t);
    }
  }
}
