package dev.aiprof.agent.config;

import java.time.Duration;

/**
 * Runs the agent's orderly close (flush, detach) on a thread of its own and waits at most the
 * deadline ({@code agent.shutdown-timeout}): a backend that hangs cannot keep the agent from
 * exiting. Stateless.
 */
public final class ShutdownDeadline {
  private ShutdownDeadline() {}

  /**
   * @return true when the close finished within {@code deadline}
   */
  public static boolean close(AutoCloseable agent, Duration deadline) throws InterruptedException {
    Thread t =
        Thread.ofPlatform()
            .daemon()
            .name("aiprof-stop")
            .start(
                () -> {
                  try {
                    agent.close();
                  } catch (Exception e) {
                    System.getLogger(ShutdownDeadline.class.getName())
                        .log(System.Logger.Level.WARNING, "closing the agent failed: " + e);
                  }
                });
    return t.join(deadline);
  }
}
