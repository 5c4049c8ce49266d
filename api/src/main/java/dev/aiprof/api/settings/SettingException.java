package dev.aiprof.api.settings;

/**
 * A setting that cannot be used: an unknown key, or a value not of its key's form. The message
 * names the key, the value and what to write instead (the nearest known key, the accepted form);
 * the CLI prints it and exits 2. The value is kept out of the message for keys that may hold
 * secrets.
 */
public final class SettingException extends IllegalArgumentException {
  private final String key;
  private final String value;

  public SettingException(String message, String key, String value) {
    super(message);
    this.key = key;
    this.value = value;
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }
}
