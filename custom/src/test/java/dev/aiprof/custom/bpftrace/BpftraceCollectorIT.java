package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.follow.AgentTools;
import dev.aiprof.api.follow.FollowOutcome;
import dev.aiprof.api.follow.ProcessFollower;
import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.pipeline.FollowService;
import dev.aiprof.pipeline.Pipeline;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.Requires;
import io.opentelemetry.api.common.Attributes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Requires(
    root = true,
    tools = {"bpftrace", "setpriv", "gcc"})
class BpftraceCollectorIT {
  static final int CALLS = 777;
  static final String SYSCALLS =
      "tracepoint:syscalls:sys_enter_getppid { @calls[cgroup] = count(); }\n";
  static final String BROKEN = "tracepoint:no_such_category:nothing { @x = count(); }\n";

  @Test
  void countsAFixturesSyscallsInItsCgroupAndReportsABrokenScript(@TempDir Path tmp)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("scripts"));
    Files.writeString(dir.resolve("syscalls.bt"), SYSCALLS);
    Files.writeString(dir.resolve("broken.bt"), BROKEN);
    AgentTools tools = new AgentTools();
    Process fixture =
        new ProcessBuilder(
                BpftracePipeline.fixture("getppid_n").toString(), Integer.toString(CALLS))
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(fixture.getInputStream(), StandardCharsets.UTF_8));
    int bpftracePid;
    try (CgroupDir cg = CgroupDir.create("aiprof-bpftrace-it-" + ProcessHandle.current().pid());
        OutputStream in = fixture.getOutputStream()) {
      assertThat(out.readLine()).isEqualTo("ready");
      cg.add(fixture.pid());
      try (Pipeline p =
          BpftracePipeline.start(
              Map.of(
                  "bpftrace.dir",
                  dir.toString(),
                  "bpftrace.print-interval",
                  "200ms",
                  "bpftrace.backoff-min",
                  "200ms",
                  "bpftrace.state-dir",
                  tmp.resolve("state").toString()),
              tools)) {
        BpftraceCollector c = BpftracePipeline.collector(p);
        assertThat(
                BpftracePipeline.await(
                    () -> status(c, "syscalls").state() == ScriptState.RUNNING,
                    Duration.ofSeconds(30)))
            .as("syscalls runs: %s", c.scripts())
            .isTrue();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertThat(out.readLine()).isEqualTo("done");
        AtomicReference<Double> seen = new AtomicReference<>();
        MetricId calls = MetricId.counter("bpftrace.syscalls.calls", "x", "1");
        boolean exact =
            BpftracePipeline.await(
                () -> {
                  seen.set(value(p, "bpftrace.syscalls.calls", Identity.cgroup(cg.id(), 0)));
                  return seen.get() != null && seen.get() == CALLS;
                },
                Duration.ofSeconds(10));
        assertThat(exact).as("%s of cgroup %d: %s", calls.name(), cg.id(), seen.get()).isTrue();

        // the broken script: bpftrace's own message, counted, retried; the other runs on
        assertThat(
                BpftracePipeline.await(
                    () -> status(c, "broken").failures() >= 2, Duration.ofSeconds(30)))
            .isTrue();
        assertThat(status(c, "broken").lastError())
            .contains("ERROR")
            .contains("no_such_category:nothing");
        assertThat(status(c, "syscalls").state()).isEqualTo(ScriptState.RUNNING);
        assertThat(
                value(
                    p,
                    "aiprof.bpftrace.failures",
                    Attributes.of(BpftraceCollector.SCRIPT, "broken")))
            .isGreaterThanOrEqualTo(2);

        // bpftrace is the agent's tool: never followed as a workload
        bpftracePid = status(c, "syscalls").pid();
        assertThat(tools.contains(bpftracePid)).isTrue();
        FollowService follows = new FollowService(HostPaths.defaults(), 16);
        follows.tools(tools);
        follows.addFollower(new AcceptAll());
        assertThat(follows.follow(bpftracePid)).isEqualTo(FollowOutcome.NOT_WORKLOAD);
        assertThat(follows.follow((int) fixture.pid())).isEqualTo(FollowOutcome.FOLLOWED);

        assertThat(
                BpftracePipeline.await(
                    () -> Files.exists(tmp.resolve("state/syscalls.state")), Duration.ofSeconds(5)))
            .isTrue();
        assertThat(
                ScriptStatus.parse(Files.readString(tmp.resolve("state/syscalls.state"))).state())
            .isEqualTo(ScriptState.RUNNING);
      }
      // closing the agent's pipeline stops its children
      assertThat(
              BpftracePipeline.await(
                  () -> ProcessHandle.of(bpftracePid).map(h -> !h.isAlive()).orElse(true),
                  Duration.ofSeconds(10)))
          .isTrue();
      assertThat(tools.contains(bpftracePid)).isFalse();
    } finally {
      fixture.destroyForcibly().waitFor();
    }
  }

  static ScriptStatus status(BpftraceCollector c, String name) {
    return c.scripts().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** The value of {@code metric}'s series whose attributes include {@code match}, or null. */
  static Double value(Pipeline p, String metric, Attributes match) {
    AtomicReference<Double> v = new AtomicReference<>();
    p.metrics()
        .collect(
            new MetricSink() {
              @Override
              public void counter(MetricId m, Attributes a, double c) {
                take(m, a, c);
              }

              @Override
              public void gauge(MetricId m, Attributes a, double g) {
                take(m, a, g);
              }

              @Override
              public void histogram(MetricId m, Attributes a, Log2Histogram h, long s) {}

              void take(MetricId m, Attributes a, double x) {
                if (m.name().equals(metric)
                    && match.asMap().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(a.asMap().get(e.getKey())))) {
                  v.set(x);
                }
              }
            });
    return v.get();
  }

  static final class AcceptAll implements ProcessFollower {
    @Override
    public String name() {
      return "test";
    }

    @Override
    public void followingSince(ProcessKey key, long sinceNs) {}

    @Override
    public boolean follow(ProcessKey key) {
      return true;
    }

    @Override
    public void unfollow(ProcessKey key) {}
  }
}
