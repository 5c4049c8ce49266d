package dev.aiprof.api.follow;

/**
 * A collector that records followed processes (the scheduler collector's per-thread timelines). The
 * follow service calls it; it never decides by itself which processes to follow. Called from any
 * thread; implementations are thread-safe and quick.
 */
public interface ProcessFollower {
  /** A short name, for logs and counters ("sched"). */
  String name();

  /**
   * Starts recording {@code process} from now on. Returns false when it cannot (its kernel map is
   * full): then it records nothing of the process and claims nothing about it.
   */
  boolean follow(ProcessKey process);

  /**
   * A probe made the kernel follow {@code process} itself, from {@code sinceNs} (monotonic) on: the
   * follower's records of it are complete from then.
   */
  void followingSince(ProcessKey process, long sinceNs);

  /** Stops recording {@code process} and forgets what it held of it (it exited). */
  void unfollow(ProcessKey process);
}
