package dev.aiprof.custom.bpftrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The directory the agent writes the scripts bpftrace runs into: bpftrace runs them as root, so a
 * directory another user could write to would let that user run code as root. It is created {@code
 * rwxr-xr-x}; an existing one must be a directory (not a link) owned by the agent's user and
 * writable by no one else, or the collector does not start.
 */
final class StateDir {
  private StateDir() {}

  static Path prepare(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException(
          "bpftrace.state-dir="
              + dir
              + ": not a directory (or a link); remove it or choose another");
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    Object owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
    Object me = Files.getOwner(Path.of("/proc/self"));
    if (perms.contains(PosixFilePermission.GROUP_WRITE)
        || perms.contains(PosixFilePermission.OTHERS_WRITE)
        || !owner.equals(me)) {
      throw new IllegalArgumentException(
          "bpftrace.state-dir="
              + dir
              + ": owned by "
              + owner
              + " with mode "
              + PosixFilePermissions.toString(perms)
              + "; bpftrace runs the scripts there as root, so it must belong to "
              + me
              + " and be writable by no one else (chmod go-w, chown)");
    }
    return dir;
  }
}
