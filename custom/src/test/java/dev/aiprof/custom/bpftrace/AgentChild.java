package dev.aiprof.custom.bpftrace;

import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.pipeline.Pipeline;
import java.time.Duration;
import java.util.Map;

/**
 * A stand-in agent for {@link BpftraceKillIT}: runs the bpftrace collector on the script file
 * {@code args[0]} (state under {@code args[1]}), prints {@code bpftrace PID} once it runs, then
 * waits to be killed. Its scripts print nothing for an hour, so a bpftrace that outlives it cannot
 * be ended by a broken pipe within the test: only PR_SET_PDEATHSIG ends it.
 */
public final class AgentChild {
  private AgentChild() {}

  public static void main(String[] args) throws Exception {
    Pipeline p =
        BpftracePipeline.start(
            Map.of(
                "bpftrace.files",
                args[0],
                "bpftrace.state-dir",
                args[1],
                // no output for an hour: bpftrace cannot die of SIGPIPE, only of its death signal
                "bpftrace.print-interval",
                "1h"),
            new AgentTools());
    BpftraceCollector c = BpftracePipeline.collector(p);
    BpftracePipeline.await(
        () -> c.scripts().getFirst().state() == ScriptState.RUNNING, Duration.ofSeconds(60));
    System.out.println("bpftrace " + c.scripts().getFirst().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
