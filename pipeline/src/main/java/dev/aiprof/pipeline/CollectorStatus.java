package dev.aiprof.pipeline;

import dev.aiprof.api.collector.Role;
import java.util.Set;

/**
 * A collector's state in a pipeline.
 *
 * @param name the collector
 * @param roles what its provider declares
 * @param state whether it runs, and if not why
 * @param detail why it is not running (the start error, the missing dependency), or empty
 */
public record CollectorStatus(String name, Set<Role> roles, State state, String detail) {
  /** Where a collector stands. */
  public enum State {
    RUNNING,
    /** Turned off by the user, or off by default. */
    DISABLED,
    /** Its start threw (the host cannot support it, a bad setting...). */
    FAILED,
    /** A collector it requires does not run. */
    SKIPPED
  }

  public boolean running() {
    return state == State.RUNNING;
  }

  /** "sched (running)", "marker (off: ...)", as the start-up line shows it. */
  public String describe() {
    return switch (state) {
      case RUNNING -> name + " (running)";
      case DISABLED -> name + " (disabled)";
      case FAILED, SKIPPED -> name + " (off: " + detail + ")";
    };
  }
}
