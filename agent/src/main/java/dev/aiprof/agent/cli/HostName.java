package dev.aiprof.agent.cli;

import dev.aiprof.api.HostPaths;
import java.io.IOException;
import java.nio.file.Files;

/** The host's name, from procfs (the host's UTS name when procfs is the host's). */
final class HostName {
  private HostName() {}

  static String read(HostPaths paths) {
    try {
      return Files.readString(paths.proc("sys", "kernel", "hostname")).strip();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown" : env;
    }
  }
}
