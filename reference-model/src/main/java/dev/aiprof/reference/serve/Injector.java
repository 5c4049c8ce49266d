package dev.aiprof.reference.serve;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A known competing load, switched on only while one named phase of a request runs, so a user can
 * watch aiprof move the time into that phase: {@code cpu} (busy threads pinned to the workers' CPU:
 * runqueue waits) or {@code io} (O_DIRECT writes with fdatasync on the same filesystem: blocked
 * time). {@link #none()} does nothing. Thread-safe; {@link #close()} stops the load's threads.
 */
public interface Injector extends AutoCloseable {
  /** Turns the load on if {@code phase} is the injected one; the returned handle turns it off. */
  Window during(String phase);

  @Override
  void close();

  /** While open, the load runs. */
  interface Window extends AutoCloseable {
    Window NONE = () -> {};

    @Override
    void close();
  }

  static Injector none() {
    return new Injector() {
      @Override
      public Window during(String phase) {
        return Window.NONE;
      }

      @Override
      public void close() {}
    };
  }

  /** The injector the settings ask for. */
  static Injector of(ServerSettings s) throws IOException {
    return switch (s.inject()) {
      case "cpu" -> new CpuLoad(s.injectPhase(), s.injectThreads(), s.cpu());
      case "io" -> new IoLoad(s.injectPhase(), s.injectThreads(), scratch(s.modelDir()));
      default -> none();
    };
  }

  private static Path scratch(Path dir) {
    return dir.resolve("inject-io-" + ProcessHandle.current().pid() + ".bin");
  }
}
