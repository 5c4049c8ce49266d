package dev.aiprof.reference.llm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Drops a file's pages from the kernel's page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}
 * after {@code fsync}), so that the next model load is a real read from disk, as on a host that has
 * not just written the model. Linux only; elsewhere, or if libc cannot be reached, it reports false
 * and changes nothing. Needs {@code --enable-native-access=ALL-UNNAMED} to run without a warning.
 * Stateless, thread-safe.
 */
public final class PageCache {
  private static final int O_RDONLY = 0;
  private static final int POSIX_FADV_DONTNEED = 4;

  private PageCache() {}

  /** Whether the kernel accepted the advice to drop {@code file}'s cached pages. */
  public static boolean evict(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.force(true); // dirty pages are not dropped: write them first
    }
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return false;
    }
    try {
      return fadviseDontNeed(file.toAbsolutePath().toString());
    } catch (Throwable e) {
      return false;
    }
  }

  private static boolean fadviseDontNeed(String path) throws Throwable {
    Linker linker = Linker.nativeLinker();
    var libc = linker.defaultLookup();
    MethodHandle open =
        linker.downcallHandle(
            libc.find("open").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    MethodHandle fadvise =
        linker.downcallHandle(
            libc.find("posix_fadvise").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
    MethodHandle close =
        linker.downcallHandle(
            libc.find("close").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      int fd = (int) open.invokeExact(arena.allocateFrom(path), O_RDONLY);
      if (fd < 0) {
        return false;
      }
      try {
        return (int) fadvise.invokeExact(fd, 0L, 0L, POSIX_FADV_DONTNEED) == 0;
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
    }
  }
}
