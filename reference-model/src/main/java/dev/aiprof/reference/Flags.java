package dev.aiprof.reference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code --key value} / {@code --key=value} arguments of a reference process, checked against the
 * keys it knows: an unknown key or a malformed value is a {@link BadFlag} naming the key and the
 * fix (the process exits 2). Not thread-safe; parse once at start.
 */
public final class Flags {
  private final Map<String, String> values = new LinkedHashMap<>();

  /** A flag the user can fix. */
  public static final class BadFlag extends IllegalArgumentException {
    public BadFlag(String message) {
      super(message);
    }
  }

  private Flags() {}

  public static Flags parse(String[] args, int from, Set<String> known) {
    Flags f = new Flags();
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new BadFlag("unexpected argument '" + a + "': flags are --key value");
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new BadFlag("--" + key + " needs a value");
      }
      if (!known.contains(key)) {
        throw new BadFlag("unknown flag --" + key + "; known: --" + String.join(", --", known));
      }
      f.values.put(key, value);
    }
    return f;
  }

  public String string(String key, String def) {
    return values.getOrDefault(key, def);
  }

  public Path path(String key, Path def) {
    String v = values.get(key);
    return v == null ? def : Path.of(v);
  }

  /** An integer in [min, max]. */
  public int integer(String key, int def, int min, int max) {
    String v = values.get(key);
    if (v == null) {
      return def;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new BadFlag("--" + key + " " + v + " is out of range: use " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadFlag("invalid --" + key + " '" + v + "': use a whole number");
    }
  }

  /** One of {@code choices}. */
  public String choice(String key, String def, Set<String> choices) {
    String v = values.getOrDefault(key, def);
    if (!choices.contains(v)) {
      throw new BadFlag("invalid --" + key + " '" + v + "': use one of " + choices);
    }
    return v;
  }
}
