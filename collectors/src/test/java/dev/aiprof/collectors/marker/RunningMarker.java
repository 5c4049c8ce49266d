package dev.aiprof.collectors.marker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.follow.Follows;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.FollowRecorder;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The marker collector running in the agent's pipeline (this host's features, real /proc), with
 * {@code others} beside it: the scheduler collector for in-kernel following, or a {@link
 * FollowRecorder} so that the follow service has a follower without it. {@code tap} sees the phases
 * as the collector reports them.
 */
final class RunningMarker implements AutoCloseable {
  final TestPipeline pipeline;
  final MarkerCollector collector;

  RunningMarker(PhaseListener tap, Map<String, String> settings, String... others) {
    Set<String> names = new HashSet<>(Set.of(others));
    names.add(MarkerProvider.NAME);
    pipeline = TestPipeline.start(names, settings, tap);
    try {
      collector = pipeline.collector(MarkerProvider.NAME, MarkerCollector.class);
    } catch (RuntimeException | Error e) {
      pipeline.close();
      throw e;
    }
  }

  /** With a {@link FollowRecorder} as the follow service's follower. */
  static RunningMarker withFollowRecorder(PhaseListener tap, Map<String, String> settings) {
    return new RunningMarker(tap, settings, FollowRecorder.NAME);
  }

  FollowRecorder follower() {
    return pipeline.collector(FollowRecorder.NAME, FollowRecorder.class);
  }

  Follows follows() {
    return pipeline.pipeline().follows();
  }

  RecordingSink metrics() {
    RecordingSink sink = new RecordingSink();
    pipeline.pipeline().metrics().collect(sink);
    return sink;
  }

  /**
   * Checks that the process {@code pid} was followed once, from its first contact (its later phases
   * found it followed already); it may have exited and been let go since. Other processes on the
   * host that call libaiprof.so may be followed too.
   */
  void assertFollowedOnce(int pid) {
    assertThat(follower().starts(pid)).as("times pid %d began to be followed", pid).isEqualTo(1);
  }

  /** Waits until the follow service let {@code pid} go (it exited): its followers heard of it. */
  void awaitUnfollowed(int pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (follows().followed(pid).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(follows().followed(pid)).as("pid %d unfollowed after its exit", pid).isEmpty();
    assertThat(follower().unfollowed()).extracting(ProcessKey::pid).contains(pid);
    assertThat(follower().followed()).extracting(ProcessKey::pid).doesNotContain(pid);
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
