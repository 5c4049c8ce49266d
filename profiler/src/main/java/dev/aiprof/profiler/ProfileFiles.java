package dev.aiprof.profiler;

import dev.aiprof.api.settings.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a window's profiles: for the window and for each phase name, the folded stacks ({@code
 * .folded}, for flamegraph.pl, speedscope, inferno, and {@code aiprof report}'s flame graphs) and a
 * gzipped pprof file ({@code .pb.gz}, for {@code go tool pprof}), each through a temporary file and
 * a move; then {@code profile.json}, the manifest that says what each file holds. One directory per
 * window under {@code profile.output-dir}.
 *
 * <p>Files: {@code cpu.*} and {@code phase-NAME.*} count on-CPU samples; {@code offcpu.*} and
 * {@code offcpu-phase-NAME.*} are off-CPU episodes of at least {@code sched.min-stall}, their
 * folded values in microseconds off-CPU.
 */
final class ProfileFiles {
  static final String MANIFEST = "profile.json";

  private ProfileFiles() {}

  /**
   * A window's profiles.
   *
   * @param startUnixNano when the window began (wall clock)
   * @param endUnixNano when it ended
   * @param pid the process it is about, 0 for every process
   */
  record Window(
      WeightedStacks cpu,
      WeightedStacks offCpu,
      Map<String, WeightedStacks> phases,
      Map<String, WeightedStacks> offCpuPhases,
      long frequencyHz,
      long periodNs,
      long startUnixNano,
      long endUnixNano,
      int pid) {}

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

  /** Writes every profile of {@code w} into {@code dir} (created); returns it. */
  static Path write(Path dir, Window w) throws IOException {
    Files.createDirectories(dir);
    List<String> entries = new ArrayList<>();
    java.util.Set<String> stems = new java.util.HashSet<>(List.of("cpu", "offcpu"));
    entries.add(write(dir, "cpu", w.cpu(), null, true, w));
    if (!w.offCpu().isEmpty()) {
      entries.add(write(dir, "offcpu", w.offCpu(), null, false, w));
    }
    for (Map.Entry<String, WeightedStacks> e : new java.util.TreeMap<>(w.phases()).entrySet()) {
      String stem = unique(stems, "phase-" + safe(e.getKey()));
      entries.add(write(dir, stem, e.getValue(), e.getKey(), true, w));
    }
    for (Map.Entry<String, WeightedStacks> e :
        new java.util.TreeMap<>(w.offCpuPhases()).entrySet()) {
      String stem = unique(stems, "offcpu-phase-" + safe(e.getKey()));
      entries.add(write(dir, stem, e.getValue(), e.getKey(), false, w));
    }
    String manifest =
        "{\"version\":1"
            + (",\"startUnixNano\":" + w.startUnixNano())
            + (",\"endUnixNano\":" + w.endUnixNano())
            + (",\"pid\":" + w.pid())
            + (",\"frequencyHz\":" + w.frequencyHz())
            + (",\"periodNs\":" + w.periodNs())
            + ",\"profiles\":["
            + String.join(",", entries)
            + "]}\n";
    replace(dir, MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
    return dir;
  }

  /** {@code stem}, or with "-2", "-3"… when two phase names have the same safe name. */
  private static String unique(java.util.Set<String> used, String stem) {
    String s = stem;
    for (int i = 2; !used.add(s); i++) {
      s = stem + "-" + i;
    }
    return s;
  }

  /** Writes one profile's two files; returns its manifest entry. */
  private static String write(
      Path dir, String stem, WeightedStacks s, String phase, boolean onCpu, Window w)
      throws IOException {
    String folded = onCpu ? s.folded() : s.foldedMicros();
    replace(dir, stem + ".folded", folded.getBytes(StandardCharsets.UTF_8));
    Path pb = dir.resolve(stem + ".pb.gz");
    Path tmp = dir.resolve(stem + ".pb.gz.tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      Pprof.write(s, onCpu ? "cpu" : "off_cpu", onCpu ? w.periodNs() : 1, w.endUnixNano(), out);
    }
    Files.move(tmp, pb, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return "{\"file\":"
        + json(stem + ".folded")
        + ",\"kind\":"
        + (onCpu ? "\"on-cpu\",\"unit\":\"samples\"" : "\"off-cpu\",\"unit\":\"us\"")
        + ",\"phase\":"
        + (phase == null ? "null" : json(phase))
        + ",\"samples\":"
        + s.samples()
        + ",\"overflowed\":"
        + s.overflowed()
        + "}";
  }

  private static void replace(Path dir, String name, byte[] content) throws IOException {
    Path target = dir.resolve(name);
    Path tmp = dir.resolve(name + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code s} as a JSON string. */
  static String json(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == '<' || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
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
