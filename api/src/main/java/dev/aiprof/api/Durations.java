package dev.aiprof.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations the way users type them: 10s, 500ms, 250us, 2m, 1h, 1.5s. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  /**
   * @param what the option or key, for the error message
   * @throws IllegalArgumentException naming the value and the accepted form
   */
  public static Duration parse(String what, String text) {
    if (text.strip().equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " '"
              + text
              + "': use a number and a unit (ns, us, ms, s, m, h), e.g. 10s");
    }
    double n = Double.parseDouble(m.group(1));
    double nanosPerUnit =
        switch (m.group(2)) {
          case "ns" -> 1;
          case "us", "µs" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> 3600e9;
        };
    return Duration.ofNanos(Math.round(n * nanosPerUnit));
  }

  /** A short human form: 850ns, 12.3us, 4.56ms, 1.23s. */
  public static String format(double nanos) {
    if (nanos < 1e3) {
      return String.format("%.0fns", nanos);
    }
    if (nanos < 1e6) {
      return String.format("%.1fus", nanos / 1e3);
    }
    if (nanos < 1e9) {
      return String.format("%.2fms", nanos / 1e6);
    }
    return String.format("%.2fs", nanos / 1e9);
  }
}
