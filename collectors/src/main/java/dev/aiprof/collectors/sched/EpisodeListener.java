package dev.aiprof.collectors.sched;

import dev.aiprof.bpf.sched.SchedEventView;

/**
 * Receives the scheduler probe's off-CPU episodes as they are drained, on the polling thread. The
 * view is valid only during the call: copy what you keep. Must be quick and must not throw.
 */
@FunctionalInterface
public interface EpisodeListener {
  void onEpisode(SchedEventView episode);
}
