package dev.aiprof.agent.identity;

/**
 * A bad identity setting: the message names the key, the value and what to do. The CLI turns it
 * into exit status 2.
 */
public final class IdentityConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public IdentityConfigException(String key, String value, String problemAndFix) {
    super(key + "=" + value + ": " + problemAndFix);
    this.key = key;
  }

  /** The setting at fault, e.g. {@code identity.source}. */
  public String key() {
    return key;
  }
}
