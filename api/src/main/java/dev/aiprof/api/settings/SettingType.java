package dev.aiprof.api.settings;

import dev.aiprof.api.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes a value, and the form a user must write it in. {@link #parse} throws
 * {@link IllegalArgumentException} with the reason only; {@link Setting} adds the key and the
 * value. Implementations are immutable.
 */
public interface SettingType<T> {
  /** The value of {@code text} (already stripped), or an exception saying why not. */
  T parse(String text);

  /** The accepted form, for messages and the settings table: "true or false", "a duration...". */
  String form();

  /**
   * Whether {@link #parse}'s message is a whole sentence for the user (naming the key and the
   * value, and the fix) rather than a reason: {@link Setting} then passes it on as it is.
   */
  default boolean explains() {
    return false;
  }

  /** The value as a user would write it (the table's default column). */
  default String format(T value) {
    return String.valueOf(value);
  }

  /** {@code true} or {@code false}, nothing else ({@code ture}, {@code yes} and {@code 1} fail). */
  SettingType<Boolean> BOOLEAN =
      new SettingType<>() {
        @Override
        public Boolean parse(String text) {
          return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
          };
        }

        @Override
        public String form() {
          return "true or false";
        }
      };

  /** A duration with a unit: 500us, 10ms, 2s, 1m, 1h; {@code 0} alone for none. */
  static SettingType<Duration> duration(Duration min, Duration max) {
    return new SettingType<>() {
      @Override
      public Duration parse(String text) {
        Duration d = Durations.parse("value", text);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
          throw new IllegalArgumentException("out of range");
        }
        return d;
      }

      @Override
      public String form() {
        return "a duration from "
            + format(min)
            + " to "
            + format(max)
            + " with a unit (ns, us, ms, s, m, h), e.g. 10ms";
      }

      @Override
      public String format(Duration value) {
        long ns = value.toNanos();
        if (ns == 0) {
          return "0";
        }
        String[] units = {"h", "m", "s", "ms", "us", "ns"};
        long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1};
        for (int i = 0; i < units.length; i++) {
          if (ns % sizes[i] == 0) {
            return ns / sizes[i] + units[i];
          }
        }
        return ns + "ns";
      }
    };
  }

  /** A whole number in [min, max]. */
  static SettingType<Integer> integer(int min, int max) {
    return new SettingType<>() {
      @Override
      public Integer parse(String text) {
        if (!text.matches("-?\\d{1,10}")) {
          throw new IllegalArgumentException("not a whole number");
        }
        long v = Long.parseLong(text);
        if (v < min || v > max) {
          throw new IllegalArgumentException("out of range");
        }
        return (int) v;
      }

      @Override
      public String form() {
        return "a whole number from " + min + " to " + max;
      }
    };
  }

  /** A size in bytes with a unit (B, KiB, MiB, GiB) in [min, max]. */
  static SettingType<Long> size(long min, long max) {
    Pattern form = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");
    return new SettingType<>() {
      @Override
      public Long parse(String text) {
        Matcher m = form.matcher(text);
        if (!m.matches()) {
          throw new IllegalArgumentException("not a size");
        }
        long unit =
            switch (m.group(2) == null ? "B" : m.group(2)) {
              case "KiB" -> 1L << 10;
              case "MiB" -> 1L << 20;
              case "GiB" -> 1L << 30;
              default -> 1;
            };
        long v = Long.parseLong(m.group(1)) * unit;
        if (v < min || v > max) {
          throw new IllegalArgumentException("out of range");
        }
        return v;
      }

      @Override
      public String form() {
        return "a size from "
            + format(min)
            + " to "
            + format(max)
            + " (B, KiB, MiB, GiB), e.g. 4MiB";
      }

      @Override
      public String format(Long v) {
        for (String u : new String[] {"GiB", "MiB", "KiB"}) {
          long unit = u.equals("GiB") ? 1L << 30 : u.equals("MiB") ? 1L << 20 : 1L << 10;
          if (v >= unit && v % unit == 0) {
            return v / unit + u;
          }
        }
        return v + "B";
      }
    };
  }

  /** One of {@code choices}, exactly. */
  static SettingType<String> choice(String... choices) {
    List<String> list = List.of(choices);
    return new SettingType<>() {
      @Override
      public String parse(String text) {
        if (!list.contains(text)) {
          throw new IllegalArgumentException("not one of " + list);
        }
        return text;
      }

      @Override
      public String form() {
        return "one of " + String.join(", ", list);
      }
    };
  }

  /** Any text (possibly empty). */
  SettingType<String> TEXT =
      new SettingType<>() {
        @Override
        public String parse(String text) {
          return text;
        }

        @Override
        public String form() {
          return "text";
        }
      };

  /** Comma-separated absolute paths; empty for none. */
  SettingType<List<Path>> PATHS =
      new SettingType<>() {
        @Override
        public List<Path> parse(String text) {
          List<Path> out = new ArrayList<>();
          for (String s : text.split(",")) {
            if (s.isBlank()) {
              continue;
            }
            Path p = Path.of(s.strip());
            if (!p.isAbsolute()) {
              throw new IllegalArgumentException(p + " is not an absolute path");
            }
            out.add(p);
          }
          return List.copyOf(out);
        }

        @Override
        public String form() {
          return "comma-separated absolute paths";
        }

        @Override
        public String format(List<Path> value) {
          return String.join(",", value.stream().map(Path::toString).toList());
        }
      };

  /** Comma-separated whole numbers, e.g. pids; empty for none. */
  SettingType<List<Integer>> INTEGERS =
      new SettingType<>() {
        @Override
        public List<Integer> parse(String text) {
          List<Integer> out = new ArrayList<>();
          for (String s : text.split(",")) {
            if (s.isBlank()) {
              continue;
            }
            if (!s.strip().matches("\\d{1,9}")) {
              throw new IllegalArgumentException("'" + s.strip() + "' is not a whole number");
            }
            out.add(Integer.parseInt(s.strip()));
          }
          return List.copyOf(out);
        }

        @Override
        public String form() {
          return "comma-separated whole numbers";
        }

        @Override
        public String format(List<Integer> value) {
          return String.join(",", value.stream().map(String::valueOf).toList());
        }
      };
}
