package dev.aiprof.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * System properties a test sets, cleared after each test. Use as {@code @RegisterExtension final
 * SystemProperties properties = new SystemProperties();}. Not thread-safe.
 */
public final class SystemProperties implements AfterEachCallback {
  private final List<String> keys = new ArrayList<>();

  public void set(String key, String value) {
    System.setProperty(key, value);
    keys.add(key);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    keys.forEach(System::clearProperty);
    keys.clear();
  }
}
