package dev.aiprof.report.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The profile collector's files for a report: the window directories under {@code
 * profile.output-dir} (or one such directory), each profile summed per kind, unit and phase name
 * over the windows. A directory's {@code profile.json} says what each folded file holds and when
 * its window was; a directory without one (written before the manifest existed) is read by its file
 * names ({@code cpu}, {@code offcpu}, {@code phase-NAME}, {@code offcpu-phase-NAME}) and its name's
 * time. Bounded: the newest {@value #MAX_WINDOWS} windows.
 *
 * @param source the directory read
 * @param windows the window directories summed
 * @param profiles per kind (on-CPU first), unit and phase (the whole window first, then by name)
 */
public record Profiles(Path source, int windows, List<Profile> profiles) {
  public static final int MAX_WINDOWS = 64;
  public static final String MANIFEST = "profile.json";
  public static final String ON_CPU = "on-cpu";
  public static final String OFF_CPU = "off-cpu";

  /** How late after the report window's last span a window may end and still be in it. */
  static final long LATE_NS = 120_000_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DIR_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /**
   * One profile.
   *
   * @param kind {@link #ON_CPU} or {@link #OFF_CPU}
   * @param unit what a stack's value counts: {@code samples}, {@code us} (off-CPU microseconds)
   * @param phase the phase name, or null for the whole window
   */
  public record Profile(String kind, String unit, String phase, Folded stacks) {}

  public static final Profiles NONE = new Profiles(null, 0, List.of());

  /**
   * The windows of {@code dir} that overlap {@code [fromUnixNano, toUnixNano]} (a window may end up
   * to two minutes after {@code to}: its files are written when the agent stops); {@code dir}
   * itself when it is one window's directory. {@link #NONE} where there is no such directory.
   */
  public static Profiles read(Path dir, long fromUnixNano, long toUnixNano) throws IOException {
    return read(dir, fromUnixNano, toUnixNano, false);
  }

  /** Every window of {@code dir} (another run's profiles, for a differential flame graph). */
  public static Profiles readAll(Path dir) throws IOException {
    return read(dir, Long.MIN_VALUE, Long.MAX_VALUE, true);
  }

  /**
   * Where another run's profiles are: {@code DIR/profiles} (an {@code aiprof demo} output
   * directory), the {@code profiles} directory beside an OTLP directory, else {@code DIR}.
   */
  public static Path ofRun(Path dir) {
    if (Files.isDirectory(dir.resolve("profiles"))) {
      return dir.resolve("profiles");
    }
    Path sibling = dir.toAbsolutePath().resolveSibling("profiles");
    if (!isWindow(dir) && Files.isDirectory(sibling) && !sibling.equals(dir.toAbsolutePath())) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.anyMatch(p -> p.getFileName().toString().startsWith("traces-"))) {
          return sibling;
        }
      } catch (IOException e) {
        return dir;
      }
    }
    return dir;
  }

  private static Profiles read(Path dir, long from, long to, boolean all) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new Profiles(dir, 0, List.of());
    }
    List<Path> windows = new ArrayList<>();
    if (isWindow(dir)) {
      windows.add(dir);
    } else {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(Files::isDirectory)
            .filter(Profiles::isWindow)
            .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
            .forEach(windows::add);
      }
    }
    Map<List<String>, Profile> sum = new LinkedHashMap<>();
    int used = 0;
    for (Path w : windows) {
      if (used >= MAX_WINDOWS) {
        break;
      }
      try {
        if (addWindow(w, from, to, all || windows.size() == 1 && w.equals(dir), sum)) {
          used++;
        }
      } catch (NoSuchFileException e) {
        // removed while read: the others still count
      }
    }
    List<Profile> out = new ArrayList<>(sum.values());
    out.sort(
        Comparator.comparing((Profile p) -> !p.kind().equals(ON_CPU)) // on-CPU first
            .thenComparing(Profile::kind)
            .thenComparing(Profile::unit)
            .thenComparing(p -> p.phase() == null ? "" : "\u0001" + p.phase()));
    return new Profiles(dir, used, List.copyOf(out));
  }

  private static boolean isWindow(Path dir) {
    return Files.isRegularFile(dir.resolve(MANIFEST))
        || Files.isRegularFile(dir.resolve("cpu.folded"));
  }

  /** Adds window {@code w}'s profiles if it is in the time range (or {@code any}). */
  private static boolean addWindow(
      Path w, long from, long to, boolean any, Map<List<String>, Profile> sum) throws IOException {
    Path manifest = w.resolve(MANIFEST);
    if (Files.isRegularFile(manifest)) {
      JsonNode m = JSON.readTree(manifest.toFile());
      long start = m.path("startUnixNano").asLong(Long.MIN_VALUE);
      long end = m.path("endUnixNano").asLong(Long.MAX_VALUE);
      if (!any && (end < from || start > to + LATE_NS)) {
        return false;
      }
      for (JsonNode p : m.path("profiles")) {
        String file = p.path("file").asText("");
        if (file.contains("/") || !file.endsWith(".folded")) {
          continue; // never outside the window's directory
        }
        String phase = p.path("phase").isTextual() ? p.path("phase").asText() : null;
        add(sum, p.path("kind").asText(ON_CPU), p.path("unit").asText("samples"), phase, w, file);
      }
      return true;
    }
    if (!any) {
      long end;
      try {
        end =
            LocalDateTime.parse(w.getFileName().toString(), DIR_TIME).toEpochSecond(ZoneOffset.UTC)
                * 1_000_000_000L;
      } catch (DateTimeParseException e) {
        return false;
      }
      if (end < from || end > to + LATE_NS) {
        return false;
      }
    }
    try (Stream<Path> s = Files.list(w)) {
      for (Path f : s.sorted().toList()) {
        String n = f.getFileName().toString();
        if (!n.endsWith(".folded")) {
          continue;
        }
        String stem = n.substring(0, n.length() - ".folded".length());
        if (stem.equals("cpu")) {
          add(sum, ON_CPU, "samples", null, w, n);
        } else if (stem.equals("offcpu")) {
          add(sum, OFF_CPU, "episodes", null, w, n); // before the manifest: counts
        } else if (stem.startsWith("offcpu-phase-")) {
          add(sum, OFF_CPU, "us", stem.substring("offcpu-phase-".length()), w, n);
        } else if (stem.startsWith("phase-")) {
          add(sum, ON_CPU, "samples", stem.substring("phase-".length()), w, n);
        }
      }
    }
    return true;
  }

  private static void add(
      Map<List<String>, Profile> sum, String kind, String unit, String phase, Path dir, String file)
      throws IOException {
    Path f = dir.resolve(file);
    if (!Files.isRegularFile(f)) {
      return;
    }
    List<String> key = java.util.Arrays.asList(kind, unit, phase);
    Profile p = sum.computeIfAbsent(key, k -> new Profile(kind, unit, phase, new Folded()));
    p.stacks().add(f);
  }

  /** The profile of {@code kind} and {@code phase} (null: the whole window), or null. */
  public Profile find(String kind, String phase) {
    for (Profile p : profiles) {
      if (p.kind().equals(kind) && java.util.Objects.equals(p.phase(), phase)) {
        return p;
      }
    }
    return null;
  }
}
