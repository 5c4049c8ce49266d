package dev.aiprof.collectors.marker;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reading {@code /proc/PID/maps} for the library files a scan looks for (libaiprof.so here, the
 * CUDA libraries in the gpu module): the parse of one line is the caller's, the reading and the
 * {@code /proc} entry names are here. Stateless.
 */
public final class ProcMaps {
  private ProcMaps() {}

  /**
   * What {@code parse} finds in the lines of one maps file, each once, in file order; empty when
   * the file is gone or unreadable (a process exiting, a kernel thread).
   */
  public static <T> Set<T> mapped(Path maps, Function<String, Optional<T>> parse) {
    Set<T> found = new LinkedHashSet<>();
    try (BufferedReader r = Files.newBufferedReader(maps)) {
      String line;
      while ((line = r.readLine()) != null) {
        parse.apply(line).ifPresent(found::add);
      }
    } catch (IOException | RuntimeException e) {
      // gone or not readable: nothing mapped
    }
    return found;
  }

  /** The pid a {@code /proc} entry name stands for, or -1 for any other entry ("self", "sys"). */
  public static int pidOf(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return -1;
      }
    }
    long v = Long.parseLong(name);
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }
}
