package dev.aiprof.host;

import java.nio.file.Path;

/**
 * The size of the file system a path is on ({@code statvfs(3)}): the one host reading that is not a
 * file. Implementations are thread-safe.
 */
public interface StatFs {
  /** The space of the file system at {@code path}, or null when it cannot be read. */
  Space space(Path path);

  /**
   * A file system's blocks in bytes: {@code total} (f_blocks), {@code free} (f_bfree: includes the
   * blocks reserved for root) and {@code available} (f_bavail: free to unprivileged users).
   */
  record Space(long total, long free, long available) {
    public long used() {
      return Math.max(0, total - free);
    }

    /** Blocks free but reserved (for root, on ext4 5% by default). */
    public long reserved() {
      return Math.max(0, free - available);
    }
  }
}
