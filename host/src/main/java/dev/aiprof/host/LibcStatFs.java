package dev.aiprof.host;

import com.sun.jna.platform.linux.LibC;
import java.nio.file.Path;

/**
 * {@link StatFs} through libc's {@code statvfs}, by JNA (the {@code jna-platform} binding OSHI
 * brings). Stateless, thread-safe. A path on a network file system whose server is gone can block
 * in the kernel: callers read on their own thread, never inside a metric collection.
 */
final class LibcStatFs implements StatFs {
  @Override
  public Space space(Path path) {
    LibC.Statvfs s = new LibC.Statvfs();
    try {
      if (LibC.INSTANCE.statvfs(path.toString(), s) != 0) {
        return null;
      }
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
    long unit = s.f_frsize.longValue() != 0 ? s.f_frsize.longValue() : s.f_bsize.longValue();
    return new Space(
        s.f_blocks.longValue() * unit, s.f_bfree.longValue() * unit, s.f_bavail.longValue() * unit);
  }
}
