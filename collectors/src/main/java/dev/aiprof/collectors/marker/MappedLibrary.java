package dev.aiprof.collectors.marker;

import dev.aiprof.bpf.phase.LibraryId;
import java.util.Optional;

/**
 * A marker library mapped by a process: the file's identity and the path the process mapped it
 * under (in the process's own mount namespace). Parsed from one line of {@code /proc/PID/maps}.
 */
public record MappedLibrary(LibraryId id, String path) {
  /** The file name the agent looks for; versioned names ({@code libaiprof.so.1}) count too. */
  public static final String FILE_NAME = "libaiprof.so";

  /**
   * The library a maps line names, if it is a marker library: {@code start-end perms offset
   * major:minor inode path}. Deleted files (" (deleted)") and anonymous mappings are not.
   */
  public static Optional<MappedLibrary> parse(String line) {
    if (!line.contains(FILE_NAME) || line.endsWith(" (deleted)")) {
      return Optional.empty();
    }
    String[] f = line.trim().split("\\s+", 6);
    if (f.length < 6 || !f[5].startsWith("/") || !isMarkerLibrary(f[5])) {
      return Optional.empty();
    }
    String[] dev = f[3].split(":");
    try {
      long inode = Long.parseLong(f[4]);
      if (dev.length != 2 || inode == 0) {
        return Optional.empty();
      }
      LibraryId id =
          new LibraryId(Integer.parseInt(dev[0], 16), Integer.parseInt(dev[1], 16), inode);
      return Optional.of(new MappedLibrary(id, f[5]));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean isMarkerLibrary(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals(FILE_NAME) || name.startsWith(FILE_NAME + ".");
  }
}
