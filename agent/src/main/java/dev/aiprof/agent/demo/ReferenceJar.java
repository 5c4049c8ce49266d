package dev.aiprof.agent.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the build puts the reference service: {@code reference-model/target/aiprof-reference.jar}
 * (with its lib/), found from the agent's own jar or classes directory ({@code agent/target/...}).
 * It is a separate jar so the agent's carries neither ONNX Runtime nor the models.
 */
public final class ReferenceJar {
  private ReferenceJar() {}

  /** The jar's expected path (it may not exist). */
  public static Path path() {
    try {
      Path code =
          Path.of(ReferenceJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path target = code.getParent(); // agent/target (from aiprof.jar or classes/)
      return target
          .getParent()
          .getParent()
          .resolve("reference-model/target/aiprof-reference.jar")
          .normalize();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("reference-model/target/aiprof-reference.jar");
    }
  }

  static boolean present(Path jar) {
    return Files.isRegularFile(jar);
  }
}
