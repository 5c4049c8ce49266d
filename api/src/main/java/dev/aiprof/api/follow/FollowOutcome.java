package dev.aiprof.api.follow;

/** What became of a request to follow a process. */
public enum FollowOutcome {
  /** Followed from now on. */
  FOLLOWED,
  /** Followed already (the same process, by its start time). */
  ALREADY,
  /** No such process (it exited, or never existed). */
  GONE,
  /** Not a workload: a kernel thread, or the agent itself. */
  NOT_WORKLOAD,
  /** The follow table (or a follower's kernel map) is full; counted, nothing is claimed. */
  FULL,
  /** Nothing follows processes here (no follower running). */
  NO_FOLLOWER;

  /** The label of the {@code aiprof.outcome} attribute. */
  public String label() {
    return name().toLowerCase();
  }

  /** Whether the process is followed after the request. */
  public boolean followed() {
    return this == FOLLOWED || this == ALREADY;
  }
}
