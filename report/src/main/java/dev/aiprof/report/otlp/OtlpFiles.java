package dev.aiprof.report.otlp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OTLP/JSON files of one signal in an output directory, oldest first: {@code <signal>-<UTC
 * stamp>-<n>.jsonl} as the agent's rotating file writer names them (sorted by stamp, then by {@code
 * n} as a number), then any other {@code <signal>*.jsonl} by name.
 */
public final class OtlpFiles {
  private static final Pattern NAME = Pattern.compile("-(\\d{8}T\\d{6}Z)-(\\d+)\\.jsonl$");

  private OtlpFiles() {}

  public static List<Path> of(Path dir, String signal) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, signal + "*.jsonl")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(OtlpFiles::sortKey));
    return out;
  }

  private static String sortKey(Path p) {
    String name = p.getFileName().toString();
    Matcher m = NAME.matcher(name);
    return m.find()
        ? "0" + m.group(1) + String.format("%012d", Long.parseLong(m.group(2)))
        : "1" + name;
  }
}
