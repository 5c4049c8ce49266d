package dev.aiprof.agent.privilege;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The threads of this process with their capability sets, read from {@code /proc/self/task}: thin
 * I/O, the parsing is {@link TaskCaps#parse}. A thread that exits while it is read is left out.
 * Stateless and thread-safe.
 */
final class Tasks {
  /** One thread: its id, its name ({@code comm}, at most 15 characters) and its sets. */
  record Task(int tid, String name, TaskCaps caps) {}

  static final Path SELF = Path.of("/proc/self/task");

  private Tasks() {}

  static List<Task> read(Path taskDir) {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(taskDir)) {
      dirs = s.toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + taskDir + ": " + e, e);
    }
    List<Task> out = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      try {
        String status = Files.readString(d.resolve("status"));
        String comm = Files.readString(d.resolve("comm")).strip();
        out.add(
            new Task(Integer.parseInt(d.getFileName().toString()), comm, TaskCaps.parse(status)));
      } catch (NoSuchFileException e) {
        // exited meanwhile
      } catch (IOException e) {
        if (Files.isDirectory(d)) {
          throw new IllegalStateException("cannot read " + d + ": " + e, e);
        }
      }
    }
    return out;
  }
}
