package dev.aiprof.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.follow.ProcessKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follow service on a fixture /proc: existence, reuse, exits, bounds (no root needed). */
class FollowServiceTest {
  @TempDir Path root;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> calls = new ArrayList<>();
  private boolean refuse;

  private FollowService service(int capacity) {
    FollowService s =
        new FollowService(
            new HostPaths(root, root.resolve("sys"), root.resolve("cg")), capacity, 1, now::get);
    s.addFollower(
        new ProcessFollower() {
          @Override
          public String name() {
            return "rec";
          }

          @Override
          public boolean follow(ProcessKey p) {
            calls.add("follow " + p);
            return !refuse;
          }

          @Override
          public void followingSince(ProcessKey p, long sinceNs) {
            calls.add("since " + p + " " + sinceNs);
          }

          @Override
          public void unfollow(ProcessKey p) {
            calls.add("unfollow " + p);
          }
        });
    return s;
  }

  /** Writes /proc/PID/stat with a start time and flags (a comm with spaces and parentheses). */
  private void process(int pid, long start, long flags) throws IOException {
    Path dir = Files.createDirectories(root.resolve(Integer.toString(pid)));
    StringBuilder b = new StringBuilder(pid + " (a (b) c) S 1 1 1 0 -1 " + flags);
    for (int f = 10; f <= 21; f++) {
      b.append(' ').append(f == 21 ? "0" : "0");
    }
    b.append(' ').append(start).append(" 0 0\n");
    Files.writeString(dir.resolve("stat"), b.toString());
  }

  private void exit(int pid) throws IOException {
    Files.delete(root.resolve(pid + "/stat"));
    Files.delete(root.resolve(Integer.toString(pid)));
  }

  @Test
  void followsOnlyLiveWorkloads() throws IOException {
    FollowService s = service(16);
    process(10, 500, 0);
    process(11, 500, 0x00200000); // a kernel thread
    process(1, 5, 0); // the agent itself (self = 1 here)
    assertThat(s.follow(10)).isEqualTo(FollowOutcome.FOLLOWED);
    assertThat(s.follow(10)).isEqualTo(FollowOutcome.ALREADY);
    assertThat(s.follow(11)).isEqualTo(FollowOutcome.NOT_WORKLOAD);
    assertThat(s.follow(1)).isEqualTo(FollowOutcome.NOT_WORKLOAD);
    assertThat(s.follow(99)).isEqualTo(FollowOutcome.GONE);
    assertThat(calls).containsExactly("follow 10@500");
    assertThat(s.followed(10))
        .hasValueSatisfying(f -> assertThat(f.process().startTicks()).isEqualTo(500));
    assertThat(s.size()).isEqualTo(1);
  }

  @Test
  void theAgentsToolsAreNotWorkloads() throws IOException {
    FollowService s = service(16);
    AgentTools tools = new AgentTools();
    s.tools(tools);
    process(20, 500, 0); // a bpftrace the agent started
    tools.add(new ProcessKey(20, 500));
    assertThat(s.follow(20)).isEqualTo(FollowOutcome.NOT_WORKLOAD);
    assertThat(s.followedInKernel(20, 0)).isEqualTo(FollowOutcome.NOT_WORKLOAD);
    tools.remove(new ProcessKey(20, 500));
    assertThat(s.follow(20)).isEqualTo(FollowOutcome.FOLLOWED);
  }

  @Test
  void aFollowedChildNamedAToolIsUnfollowed() throws IOException {
    FollowService s = service(16);
    AgentTools tools = new AgentTools();
    s.tools(tools);
    process(21, 600, 0); // followed (a workload's child, say) before the agent names it
    assertThat(s.followedInKernel(21, 0)).isEqualTo(FollowOutcome.FOLLOWED);
    tools.add(new ProcessKey(21, 600));
    assertThat(s.followed(21)).isEmpty();
    assertThat(calls).contains("unfollow 21@600");
    // a tool's key is its process: another process on the same pid is not one
    tools.add(new ProcessKey(22, 1));
    process(22, 700, 0);
    assertThat(s.follow(22)).isEqualTo(FollowOutcome.FOLLOWED);
  }

  @Test
  void aReusedPidIsANewProcessAndTheOldOneIsUnfollowed() throws IOException {
    FollowService s = service(16);
    process(10, 500, 0);
    s.follow(10);
    exit(10);
    process(10, 900, 0); // the pid is reused before any sweep
    now.addAndGet(FollowService.RECHECK_NS);
    assertThat(s.follow(10)).isEqualTo(FollowOutcome.FOLLOWED);
    assertThat(calls).containsExactly("follow 10@500", "unfollow 10@500", "follow 10@900");
    assertThat(s.followed(10))
        .hasValueSatisfying(f -> assertThat(f.process().startTicks()).isEqualTo(900));
  }

  @Test
  void theSweepUnfollowsWhatExited() throws IOException {
    FollowService s = service(16);
    process(10, 500, 0);
    process(20, 600, 0);
    s.follow(10);
    s.follow(20);
    exit(10);
    s.sweep();
    assertThat(calls).contains("unfollow 10@500").doesNotContain("unfollow 20@600");
    assertThat(s.size()).isEqualTo(1);
    assertThat(s.followed(10)).isEmpty();
  }

  @Test
  void theTableIsBoundedAndAFollowerThatRefusesMakesItFull() throws IOException {
    FollowService s = service(2);
    for (int pid = 10; pid < 14; pid++) {
      process(pid, 500, 0);
    }
    assertThat(s.follow(10)).isEqualTo(FollowOutcome.FOLLOWED);
    assertThat(s.follow(11)).isEqualTo(FollowOutcome.FOLLOWED);
    assertThat(s.follow(12)).isEqualTo(FollowOutcome.FULL);
    assertThat(s.outcomes(FollowOutcome.FULL)).isEqualTo(1);
    exit(10);
    s.sweep();
    refuse = true;
    assertThat(s.follow(13)).as("the kernel map is full").isEqualTo(FollowOutcome.FULL);
    assertThat(s.followed(13)).isEmpty();
    refuse = false;
    assertThat(s.follow(13)).isEqualTo(FollowOutcome.FOLLOWED);
  }

  @Test
  void nonexistentPidsNeverReachAFollower() {
    FollowService s = service(16);
    for (int pid = 100_000; pid < 104_200; pid++) {
      assertThat(s.follow(pid)).isEqualTo(FollowOutcome.GONE);
    }
    assertThat(calls).isEmpty();
    assertThat(s.size()).isZero();
    assertThat(s.outcomes(FollowOutcome.GONE)).isEqualTo(4200);
  }

  @Test
  void aKernelFollowTellsTheFollowersFromWhen() throws IOException {
    FollowService s = service(16);
    process(10, 500, 0);
    assertThat(s.followedInKernel(10, 12345)).isEqualTo(FollowOutcome.FOLLOWED);
    assertThat(s.followedInKernel(10, 20000)).isEqualTo(FollowOutcome.ALREADY);
    assertThat(calls).containsExactly("since 10@500 12345", "since 10@500 20000");
    assertThat(s.follow(10)).isEqualTo(FollowOutcome.ALREADY);
  }
}
