package dev.aiprof.agent;

import dev.aiprof.agent.cli.Main;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code aiprof ARGS...} as a child JVM on this test's class path, with the
 * launcher's JVM options (native access, G1 with one thread of each kind) and a heap limit.
 * Stateless.
 */
public final class AgentJvm {
  private AgentJvm() {}

  /** {@code java ... Main ARGS}, with {@code -Xmx} set to {@code heap} (e.g. "128m"). */
  public static List<String> command(String heap, List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseG1GC",
                "-XX:ParallelGCThreads=1",
                "-XX:ConcGCThreads=1",
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    cmd.addAll(args);
    return cmd;
  }
}
