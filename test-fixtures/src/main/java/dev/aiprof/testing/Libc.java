package dev.aiprof.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** The few libc calls the workload generators need that Java does not offer, through FFM. */
public final class Libc {
  public static final int O_RDONLY = 0;
  public static final int O_DIRECT = 0x4000; // x86-64 and arm64 differ; x86-64 value
  public static final int POSIX_FADV_DONTNEED = 4;

  private static final Linker L = Linker.nativeLinker();
  private static final MethodHandle GETTID = fn("gettid", FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle OPEN =
      fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle PREAD =
      fn("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle FADVISE =
      fn(
          "posix_fadvise",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
  private static final MethodHandle SETAFFINITY =
      fn("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));

  private static final MethodHandle SETENV =
      fn("setenv", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
  private static final MethodHandle UNSETENV =
      fn("unsetenv", FunctionDescriptor.of(JAVA_INT, ADDRESS));

  private Libc() {}

  /**
   * Sets (or, for null, removes) a variable of this process's C environment, which native libraries
   * loaded in the JVM read (System.getenv keeps its own copy and does not see it).
   */
  public static void setenv(String name, String value) {
    try (Arena a = Arena.ofConfined()) {
      int rc =
          value == null
              ? (int) UNSETENV.invokeExact(a.allocateFrom(name))
              : (int) SETENV.invokeExact(a.allocateFrom(name), a.allocateFrom(value), 1);
      if (rc != 0) {
        throw new IllegalStateException("setenv " + name + " failed");
      }
    } catch (Throwable t) {
      throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
  }

  private static MethodHandle fn(String name, FunctionDescriptor fd) {
    return L.downcallHandle(L.defaultLookup().find(name).orElseThrow(), fd);
  }

  public static int gettid() {
    try {
      return (int) GETTID.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Pins the calling thread to one CPU. */
  public static void pinTo(int cpu) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment mask = a.allocate(128);
      mask.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
      int rc = (int) SETAFFINITY.invokeExact(0, 128L, mask);
      if (rc != 0) {
        throw new IllegalStateException("sched_setaffinity failed for cpu " + cpu);
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Lets the calling thread run on every CPU again. */
  public static void unpin() {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment mask = a.allocate(128);
      mask.fill((byte) 0xff);
      int rc = (int) SETAFFINITY.invokeExact(0, 128L, mask);
      if (rc != 0) {
        throw new IllegalStateException("sched_setaffinity failed for all cpus");
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static int open(String path, int flags) {
    try (Arena a = Arena.ofConfined()) {
      int fd = (int) OPEN.invokeExact(a.allocateFrom(path), flags);
      if (fd < 0) {
        throw new IllegalStateException("open " + path + " failed");
      }
      return fd;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static void close(int fd) {
    try {
      int rc = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  public static long pread(int fd, MemorySegment buf, long count, long offset) {
    try {
      return (long) PREAD.invokeExact(fd, buf, count, offset);
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Drops the file's pages from the page cache, so the next reads go to the disk. */
  public static void dropCache(int fd) {
    try {
      int rc = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
      if (rc != 0) {
        throw new IllegalStateException("posix_fadvise failed: " + rc);
      }
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
