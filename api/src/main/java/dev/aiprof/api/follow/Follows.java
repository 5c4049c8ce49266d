package dev.aiprof.api.follow;

import java.util.Optional;

/**
 * The agent's follow service: which processes are followed (per-thread scheduler timelines, and
 * later per-process I/O and CUDA records), from when, and until they exit. Sources ask for a
 * process at first contact; the service follows only processes that exist and are workloads,
 * identifies them by {@link ProcessKey} (pid and start time, so a reused pid is a new process),
 * tells every {@link ProcessFollower}, and unfollows at exit. Bounded: what it cannot take is
 * refused and counted. Thread-safe; calls are quick (a cached answer, or one read of {@code
 * /proc/PID/stat}).
 */
public interface Follows {
  /** Follows {@code pid} from now on, if it is a live workload and there is room. */
  FollowOutcome follow(int pid);

  /**
   * A probe has made the kernel follow {@code pid} itself, from {@code sinceNs} (monotonic) on (the
   * marker probe does at a process's first marker call): record it, and tell the followers from
   * when their records are complete.
   */
  FollowOutcome followedInKernel(int pid, long sinceNs);

  /** The process followed under {@code pid} now, if any (after checking it is still the same). */
  Optional<Followed> followed(int pid);

  /** Follows nothing: every request answers {@link FollowOutcome#NO_FOLLOWER}. */
  Follows NONE =
      new Follows() {
        @Override
        public FollowOutcome follow(int pid) {
          return FollowOutcome.NO_FOLLOWER;
        }

        @Override
        public FollowOutcome followedInKernel(int pid, long sinceNs) {
          return FollowOutcome.NO_FOLLOWER;
        }

        @Override
        public Optional<Followed> followed(int pid) {
          return Optional.empty();
        }
      };
}
