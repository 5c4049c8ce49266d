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
 * writable by no one else, every directory above it owned by root or that user and writable by no
 * one else unless sticky, or the collector does not start. Files in it are mode 0600.
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
    checkAncestors(dir.toAbsolutePath(), me);
    checkAncestors(dir.toRealPath(), me);
    return dir;
  }

  /**
   * Every directory above {@code dir} must be owned by root or the agent's user and writable by no
   * one else unless sticky ({@code /tmp}): else another user could rename the state directory away
   * and put their own in its place.
   */
  private static void checkAncestors(Path dir, Object me) throws IOException {
    Object root = Files.getOwner(Path.of("/"), LinkOption.NOFOLLOW_LINKS);
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        continue; // a link's own mode means nothing; its parent is checked next, its target too
      }
      int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Object owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS);
      boolean othersWrite = (mode & 0022) != 0;
      boolean sticky = (mode & 01000) != 0;
      if ((uid != 0 && !owner.equals(me) && !owner.equals(root)) || (othersWrite && !sticky)) {
        throw new IllegalArgumentException(
            "bpftrace.state-dir="
                + dir
                + ": its parent "
                + p
                + " is owned by "
                + owner
                + " with mode "
                + Integer.toOctalString(mode & 07777)
                + "; bpftrace runs the scripts there as root, so every directory above it must"
                + " belong to root or "
                + me
                + " and be writable by no one else (or be sticky, as /tmp): choose another"
                + " bpftrace.state-dir or chmod go-w, chown");
      }
    }
  }

  /**
   * Writes {@code text} to {@code dir/name}, mode 0600 from its creation (a temporary file moved
   * into place atomically, so a reader never sees half a file).
   */
  static void write(Path dir, String name, String text) throws IOException {
    Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(tmp, text);
      Files.move(
          tmp,
          dir.resolve(name),
          java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Kills (SIGKILL) the bpftrace processes left running a script of {@code dir} by an agent that
   * died before its children got their parent-death signal (a SIGKILL at spawn time): those whose
   * arguments name a {@code dir/*.bt} file and whose parent is not this agent. Returns how many.
   */
  static int killOrphans(Path dir) {
    long self = ProcessHandle.current().pid();
    Path real;
    try {
      real = dir.toRealPath();
    } catch (IOException e) {
      return 0;
    }
    int killed = 0;
    for (ProcessHandle h : (Iterable<ProcessHandle>) ProcessHandle.allProcesses()::iterator) {
      java.util.List<String> args = h.info().arguments().map(java.util.List::of).orElse(null);
      String command = h.info().command().orElse("");
      long parent = h.parent().map(ProcessHandle::pid).orElse(0L);
      if (args != null && isOrphan(command, args, parent, self, real) && h.destroyForcibly()) {
        killed++;
      }
    }
    return killed;
  }

  /** Whether a process is a bpftrace orphan of the state directory {@code dir} (pure). */
  static boolean isOrphan(
      String command, java.util.List<String> args, long parent, long self, Path dir) {
    if (parent == self || !Path.of(command).getFileName().toString().startsWith("bpftrace")) {
      return false;
    }
    for (String a : args) {
      Path p = Path.of(a);
      if (a.endsWith(".bt") && dir.equals(p.toAbsolutePath().getParent())) {
        return true;
      }
    }
    return false;
  }
}
