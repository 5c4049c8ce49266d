package dev.aiprof.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Enforces {@link Requires}: skip with a reason locally, fail under CI. */
public final class PreconditionExtension implements BeforeAllCallback, BeforeEachCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    check(AnnotationSupport.findAnnotation(context.getRequiredTestClass(), Requires.class));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(AnnotationSupport.findAnnotation(context.getElement(), Requires.class));
  }

  private static void check(Optional<Requires> requires) {
    if (requires.isEmpty()) {
      return;
    }
    List<String> missing = missing(requires.get());
    if (missing.isEmpty()) {
      return;
    }
    String reason = "precondition not met: " + String.join("; ", missing);
    if (inCi()) {
      throw new AssertionError(reason + " (CI=true: a missing precondition fails the build)");
    }
    Assumptions.abort(reason);
  }

  static List<String> missing(Requires r) {
    List<String> missing = new ArrayList<>();
    if (r.root() && !isRoot()) {
      missing.add("needs root (run the tests as root: sudo ./aiprof test)");
    }
    for (String tool : r.tools()) {
      if (!onPath(tool)) {
        missing.add("needs " + tool + " on the PATH");
      }
    }
    for (String file : r.files()) {
      if (!Files.exists(Path.of(file))) {
        missing.add("needs " + file);
      }
    }
    return missing;
  }

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .findFirst()
          .map(l -> l.split("\\s+")[2].equals("0"))
          .orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  static boolean onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
