package dev.aiprof.profiler;

import dev.aiprof.api.settings.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Writes a window's profiles: for the window and for each phase name, the folded stacks ({@code
 * .folded}, for flamegraph.pl, speedscope, inferno) and a gzipped pprof file ({@code .pb.gz}, for
 * {@code go tool pprof}), each through a temporary file and a move. One directory per window under
 * {@code profile.output-dir}.
 */
final class ProfileFiles {
  private ProfileFiles() {}

  /** The configured directory, or the default one for this user. */
  static Path directory(Settings s) {
    String dir = s.get(ProfileSettings.OUTPUT_DIR);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    return root
        ? Path.of("/var/lib/aiprof/profiles")
        : Path.of(System.getProperty("user.home"), ".local/share/aiprof/profiles");
  }

  /** Writes every profile into {@code dir} (created); returns it. */
  static Path write(
      Path dir,
      WeightedStacks cpu,
      WeightedStacks offCpu,
      Map<String, WeightedStacks> phases,
      long periodNs,
      long timeNanos)
      throws IOException {
    Files.createDirectories(dir);
    write(dir, "cpu", cpu, "cpu", periodNs, timeNanos);
    if (!offCpu.isEmpty()) {
      write(dir, "offcpu", offCpu, "off_cpu", 1, timeNanos);
    }
    for (Map.Entry<String, WeightedStacks> e : phases.entrySet()) {
      write(dir, "phase-" + safe(e.getKey()), e.getValue(), "cpu", periodNs, timeNanos);
    }
    return dir;
  }

  private static void write(
      Path dir, String stem, WeightedStacks w, String type, long periodNs, long timeNanos)
      throws IOException {
    Path folded = dir.resolve(stem + ".folded");
    Path tmp = dir.resolve(stem + ".folded.tmp");
    Files.writeString(tmp, w.folded(), StandardCharsets.UTF_8);
    Files.move(tmp, folded, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path pb = dir.resolve(stem + ".pb.gz");
    Path tmp2 = dir.resolve(stem + ".pb.gz.tmp");
    try (OutputStream out = Files.newOutputStream(tmp2)) {
      Pprof.write(w, type, periodNs, timeNanos, out);
    }
    Files.move(tmp2, pb, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A phase name as a file name: letters, digits, '-', '_' and '.', at most 64. */
  static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (s.isEmpty() || s.startsWith(".")) {
      s = "_" + s;
    }
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
