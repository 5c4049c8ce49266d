package dev.aiprof.exporters.file;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and how much the embedded file exporter writes, from the configuration keys {@code
 * aiprof.exporter.file.directory} (default {@code /var/lib/aiprof/otlp} for root, else {@code
 * ~/.local/share/aiprof/otlp}), {@code aiprof.exporter.file.max-file-size} (default 16MiB) and
 * {@code aiprof.exporter.file.max-total-size} (default 256MiB, shared by the traces and metrics
 * files). Environment variables work too ({@code AIPROF_EXPORTER_FILE_DIRECTORY}, ...).
 */
public record FileSettings(Path directory, long maxFileBytes, long maxTotalBytes) {
  public static final String DIRECTORY = "aiprof.exporter.file.directory";
  public static final String MAX_FILE = "aiprof.exporter.file.max-file-size";
  public static final String MAX_TOTAL = "aiprof.exporter.file.max-total-size";

  /** Signals that share the directory: traces and metrics. */
  static final int WRITERS = 2;

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

  public FileSettings {
    if (maxFileBytes < 1024 || maxTotalBytes < maxFileBytes * WRITERS) {
      throw new ConfigurationException(
          MAX_TOTAL
              + "="
              + maxTotalBytes
              + " and "
              + MAX_FILE
              + "="
              + maxFileBytes
              + " do not fit: files need at least 1KiB, and the total must hold "
              + WRITERS
              + " files (traces and metrics); raise "
              + MAX_TOTAL);
    }
  }

  public static FileSettings from(ConfigProperties config) {
    String dir = config.getString(DIRECTORY);
    return new FileSettings(
        dir == null || dir.isBlank() ? defaultDirectory() : Path.of(dir),
        size(MAX_FILE, config.getString(MAX_FILE, "16MiB")),
        size(MAX_TOTAL, config.getString(MAX_TOTAL, "256MiB")));
  }

  /** {@code /var/lib/aiprof/otlp} when running as root, else under the user's home. */
  public static Path defaultDirectory() {
    boolean root = new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    return root
        ? Path.of("/var/lib/aiprof/otlp")
        : Path.of(System.getProperty("user.home"), ".local", "share", "aiprof", "otlp");
  }

  /** Bytes from "1048576", "512KiB", "16MiB", "1GiB" (k/m/g and kb/mb/gb mean the same). */
  public static long size(String key, String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigurationException(
          "invalid "
              + key
              + " '"
              + text
              + "': use a number of bytes with an optional unit (KiB, MiB, GiB), e.g. 16MiB");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k", "kb", "kib" -> n << 10;
      case "m", "mb", "mib" -> n << 20;
      case "g", "gb", "gib" -> n << 30;
      default -> n;
    };
  }

  RotatingFile open(String prefix) {
    return new RotatingFile(directory, prefix, maxFileBytes, maxTotalBytes, WRITERS);
  }
}
