package dev.aiprof.custom.programs;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The BPF programs a process holds open, found through its file descriptors: each BPF program fd's
 * {@code /proc/PID/fdinfo/FD} has a {@code prog_id:} line. This is how the agent finds the kernel
 * ids of bpftrace's programs (bpftrace loads them, the agent reads their {@code BPF_ENABLE_STATS}
 * cost by id). Reading other processes' fdinfo needs CAP_SYS_PTRACE or the same user. Stateless.
 */
public final class ProcessPrograms {
  /** At most this many fds are looked at per process. */
  public static final int MAX_FDS = 65_536;

  private ProcessPrograms() {}

  /** The program ids held by {@code pid}, sorted; empty when it is gone or unreadable. */
  public static TreeSet<Integer> of(HostPaths paths, int pid) {
    TreeSet<Integer> ids = new TreeSet<>();
    int seen = 0;
    try (DirectoryStream<Path> fds =
        Files.newDirectoryStream(paths.proc(Integer.toString(pid), "fdinfo"))) {
      for (Path fd : fds) {
        if (++seen > MAX_FDS) {
          break;
        }
        try {
          progId(Files.readString(fd)).ifPresent(ids::add);
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone or not ours to read
    }
    return ids;
  }

  /** The {@code prog_id:} of an fdinfo text (pure), if it is a BPF program's. */
  public static OptionalInt progId(String fdinfo) {
    for (String line : fdinfo.split("\n")) {
      if (line.startsWith("prog_id:")) {
        try {
          return OptionalInt.of(Integer.parseInt(line.substring(8).strip()));
        } catch (NumberFormatException e) {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.empty();
  }
}
