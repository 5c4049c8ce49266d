package dev.aiprof.api.settings;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One configuration key: {@code owner.name} (e.g. {@code sched.min-event}), its type, default and
 * what it does. Collectors declare theirs through their provider; the agent validates every value
 * at start-up against them ({@link SettingsCatalog}) and the README's and {@code --help}'s tables
 * are generated from them. Immutable.
 *
 * @param key lower-case, dotted: the owner (a collector's name, {@code identity}, {@code
 *     correlation}...) and the name
 * @param type how the text parses
 * @param defaultValue the value when the key is not given (null: none)
 * @param description one sentence, for the table
 */
public record Setting<T>(String key, SettingType<T> type, T defaultValue, String description) {
  public Setting {
    if (!key.matches("[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*)+")) {
      throw new IllegalArgumentException("setting key '" + key + "' is not owner.name");
    }
  }

  /** The owner part of the key ("sched" of "sched.min-event"). */
  public String owner() {
    return key.substring(0, key.indexOf('.'));
  }

  /**
   * The value of {@code text}.
   *
   * @throws SettingException naming the key, the value and the accepted form
   */
  public T parse(String text) {
    try {
      return type.parse(text.strip());
    } catch (SettingException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      String message =
          type.explains()
              ? e.getMessage()
              : "invalid " + key + " '" + text + "': use " + type.form();
      throw new SettingException(message, key, text);
    }
  }

  /** The default as a user would write it, or empty. */
  public String defaultText() {
    return defaultValue == null ? "" : type.format(defaultValue);
  }

  public static Setting<Boolean> flag(String key, boolean def, String description) {
    return new Setting<>(key, SettingType.BOOLEAN, def, description);
  }

  public static Setting<Duration> duration(
      String key, Duration def, Duration min, Duration max, String description) {
    return new Setting<>(key, SettingType.duration(min, max), def, description);
  }

  public static Setting<Integer> integer(
      String key, int def, int min, int max, String description) {
    return new Setting<>(key, SettingType.integer(min, max), def, description);
  }

  public static Setting<Long> size(String key, long def, long min, long max, String description) {
    return new Setting<>(key, SettingType.size(min, max), def, description);
  }

  public static Setting<String> choice(
      String key, String def, String description, String... choices) {
    return new Setting<>(key, SettingType.choice(choices), def, description);
  }

  public static Setting<String> text(String key, String def, String description) {
    return new Setting<>(key, SettingType.TEXT, def, description);
  }

  /**
   * A key whose text another parser checks (an address, a URL): {@code parse} gets the key and the
   * text and throws IllegalArgumentException with a whole message (naming the key, the value and
   * the fix); {@code form} says what is accepted, for the table.
   */
  public static <T> Setting<T> of(
      String key,
      BiFunction<String, String, T> parse,
      Function<T, String> format,
      String form,
      T def,
      String description) {
    SettingType<T> t =
        new SettingType<>() {
          @Override
          public T parse(String text) {
            return parse.apply(key, text);
          }

          @Override
          public String form() {
            return form;
          }

          @Override
          public boolean explains() {
            return true;
          }

          @Override
          public String format(T value) {
            return format.apply(value);
          }
        };
    return new Setting<>(key, t, def, description);
  }
}
