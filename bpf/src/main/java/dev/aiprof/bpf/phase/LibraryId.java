package dev.aiprof.bpf.phase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A library file as the kernel knows it: the device (major, minor) and inode that {@code
 * /proc/PID/maps} shows. Uprobes are per file, so one attach set serves every process that maps it,
 * whatever path (or container) it was mapped through.
 */
public record LibraryId(int major, int minor, long inode) {
  /** The id of the file at {@code path} (follows links), from its {@code stat}. */
  public static LibraryId of(Path path) {
    try {
      long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
      long ino = ((Number) Files.getAttribute(path, "unix:ino")).longValue();
      return new LibraryId(major(dev), minor(dev), ino);
    } catch (IOException e) {
      throw new UncheckedIOException("stat " + path, e);
    }
  }

  /** The major number of a glibc-encoded {@code dev_t} (as gnu_dev_major). */
  static int major(long dev) {
    return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
  }

  /** The minor number of a glibc-encoded {@code dev_t} (as gnu_dev_minor). */
  static int minor(long dev) {
    return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
  }

  @Override
  public String toString() {
    return Integer.toHexString(major) + ":" + Integer.toHexString(minor) + " " + inode;
  }
}
