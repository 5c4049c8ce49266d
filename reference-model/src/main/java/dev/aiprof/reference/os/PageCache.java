package dev.aiprof.reference.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Evicts a file from the page cache ({@code fdatasync}, then {@code posix_fadvise(DONTNEED)}), so
 * that the next read of it is a real disk read. Best effort: the kernel may keep pages another
 * process has mapped. Thread-safe.
 */
public final class PageCache {
  private static final int O_RDONLY = 0;
  private static final int POSIX_FADV_DONTNEED = 4;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle OPEN =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("open").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle FADVISE =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("posix_fadvise").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
  private static final MethodHandle CLOSE =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("close").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT));

  private PageCache() {}

  /**
   * @return whether the kernel took the advice
   */
  public static boolean evict(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(false);
    }
    try (Arena a = Arena.ofConfined()) {
      int fd = (int) OPEN.invokeExact(a.allocateFrom(file.toString()), O_RDONLY);
      if (fd < 0) {
        return false;
      }
      int rc = (int) FADVISE.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED);
      int ignored = (int) CLOSE.invokeExact(fd);
      return rc == 0 && ignored == 0;
    } catch (Throwable t) {
      throw new IllegalStateException("posix_fadvise failed", t);
    }
  }
}
