package dev.aiprof.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v2 directory made for one test (for example a pod-like {@code
 * kubepods.slice/kubepods-pod<uid>.slice/cri-containerd-<id>.scope}), removed on close together
 * with every directory the test created on the way. Processes must have exited (or been moved)
 * before close; close waits for that briefly.
 */
public final class CgroupDir implements AutoCloseable {
  private final Path path;
  private final List<Path> created;

  private CgroupDir(Path path, List<Path> created) {
    this.path = path;
    this.created = created;
  }

  /** The cgroup v2 mount: /sys/fs/cgroup/unified on hybrid hosts, else /sys/fs/cgroup. */
  public static Path v2Root() {
    Path hybrid = Path.of("/sys/fs/cgroup/unified");
    return Files.exists(hybrid.resolve("cgroup.procs")) ? hybrid : Path.of("/sys/fs/cgroup");
  }

  /** Creates {@code relative} (and missing parents) under the v2 root. */
  public static CgroupDir create(String relative) {
    Path target = v2Root().resolve(relative);
    List<Path> made = new ArrayList<>();
    try {
      for (Path p = target; !Files.exists(p); p = p.getParent()) {
        made.addFirst(p);
      }
      for (Path p : made) {
        Files.createDirectory(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("create cgroup " + target, e);
    }
    return new CgroupDir(target, made.reversed());
  }

  public Path path() {
    return path;
  }

  /** The cgroup id BPF reports: the directory's inode number. */
  public long id() {
    try {
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      String s = String.valueOf(key);
      return Long.parseLong(s.substring(s.indexOf("ino=") + 4, s.indexOf(')')));
    } catch (IOException e) {
      throw new UncheckedIOException("stat " + path, e);
    }
  }

  /** Moves a whole process into this cgroup. */
  public void add(long pid) {
    try {
      Files.writeString(path.resolve("cgroup.procs"), Long.toString(pid));
    } catch (IOException e) {
      throw new UncheckedIOException("move " + pid + " into " + path, e);
    }
  }

  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (Path p : created) {
      while (true) {
        try {
          Files.deleteIfExists(p);
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            throw new UncheckedIOException("remove cgroup " + p + " (processes still inside?)", e);
          }
          Thread.onSpinWait();
          try {
            Thread.sleep(20);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }
}
