package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.settings.Settings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scripts the settings name: the {@code *.bt} files of {@code bpftrace.dir} (sorted), the files
 * of {@code bpftrace.files}, and {@code bpftrace.inline}. A missing directory or file, two scripts
 * of one name or more than {@code bpftrace.max-scripts} fail with a message naming the key, the
 * value and the fix.
 */
final class ScriptSources {
  /** Longest script file read. */
  static final long MAX_SCRIPT_BYTES = 1 << 20;

  private ScriptSources() {}

  static List<Script> read(Settings s) {
    List<Script> out = new ArrayList<>();
    String dir = s.get(BpftraceSettings.DIR).strip();
    if (!dir.isEmpty()) {
      Path d = Path.of(dir);
      if (!Files.isDirectory(d)) {
        throw bad(
            BpftraceSettings.DIR.key(), dir, "is not a directory; create it or unset the key");
      }
      TreeSet<Path> files = new TreeSet<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(d, "*.bt")) {
        ds.forEach(files::add);
      } catch (IOException e) {
        throw bad(BpftraceSettings.DIR.key(), dir, "cannot be read (" + e.getMessage() + ")");
      }
      for (Path f : files) {
        out.add(file(BpftraceSettings.DIR.key(), f));
      }
    }
    for (String f : s.get(BpftraceSettings.FILES).split(",")) {
      if (!f.isBlank()) {
        out.add(file(BpftraceSettings.FILES.key(), Path.of(f.strip())));
      }
    }
    String inline = s.get(BpftraceSettings.INLINE);
    if (!inline.isBlank()) {
      out.add(Script.of("inline", BpftraceSettings.INLINE.key(), inline));
    }
    Set<String> names = new HashSet<>();
    for (Script sc : out) {
      if (!names.add(sc.name())) {
        throw bad(
            sc.origin().startsWith("/") ? BpftraceSettings.FILES.key() : sc.origin(),
            sc.origin(),
            "is a second script named " + sc.name() + "; rename one of the files");
      }
    }
    int max = s.get(BpftraceSettings.MAX_SCRIPTS);
    if (out.size() > max) {
      throw bad(
          BpftraceSettings.MAX_SCRIPTS.key(),
          Integer.toString(max),
          "is below the " + out.size() + " scripts configured; raise it or remove scripts");
    }
    return out;
  }

  private static Script file(String key, Path f) {
    try {
      if (Files.size(f) > MAX_SCRIPT_BYTES) {
        throw bad(key, f.toString(), "is larger than 1 MiB");
      }
      String stem = f.getFileName().toString().replaceFirst("\\.bt$", "");
      return Script.of(Script.nameOf(stem), f.toString(), Files.readString(f));
    } catch (IOException e) {
      throw bad(key, f.toString(), "cannot be read (" + e.getMessage() + "); check the path");
    }
  }

  private static IllegalArgumentException bad(String key, String value, String why) {
    return new IllegalArgumentException(key + "=" + value + ": " + why);
  }
}
