package dev.aiprof.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * statvfs as recorded with a host tree (its {@code statvfs} file: mount point, total, free,
 * available bytes): a host that is not this machine cannot be statted, so this fakes the one {@link
 * StatFs} call. Paths arrive as the reader makes them, under {@code PROCFS/1/root}.
 */
final class RecordedStatFs implements StatFs {
  private final Path root;
  private final Map<String, Space> spaces = new HashMap<>();

  RecordedStatFs(Path tree) {
    this.root = tree.resolve("proc").resolve("1").resolve("root");
    try {
      for (String line : Files.readAllLines(tree.resolve("statvfs"))) {
        String[] f = line.split(" ");
        int n = f.length;
        String mount = String.join(" ", java.util.Arrays.copyOf(f, n - 3));
        spaces.put(
            mount,
            new Space(
                Long.parseLong(f[n - 3]), Long.parseLong(f[n - 2]), Long.parseLong(f[n - 1])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Space space(Path path) {
    Path rel = root.relativize(path);
    return spaces.get("/" + rel.toString());
  }
}
