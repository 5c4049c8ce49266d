package dev.aiprof.io.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.phase.PhaseListener;
import dev.aiprof.collectors.RecordingSink;
import dev.aiprof.collectors.TestPipeline;
import dev.aiprof.testing.CgroupDir;
import dev.aiprof.testing.NoBpfLeaks;
import dev.aiprof.testing.Requires;
import dev.aiprof.testing.TcpTraffic;
import dev.aiprof.testing.WorkloadProcess;
import io.opentelemetry.api.common.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The net collector in the agent's pipeline (with sched, whose followed map it shares), on a real
 * process: a fixture in its own cgroup moves known bytes over loopback, and the workload's metrics
 * carry what it printed it did.
 */
@Requires(root = true, files = "/sys/kernel/btf/vmlinux")
@NoBpfLeaks
class NetCollectorIT {
  @Test
  void loopbackTrafficBecomesMetricsOfTheProcessesWorkload() throws Exception {
    long self = ProcessHandle.current().pid();
    try (TestPipeline agent =
            TestPipeline.start(Set.of("sched", "net"), Map.of(), PhaseListener.NONE);
        CgroupDir cg = CgroupDir.create("aiprof-test-" + self + "/net-loopback");
        WorkloadProcess w = WorkloadProcess.start(null, TcpTraffic.class)) {
      cg.add(w.pid());
      w.send("pair 127.0.0.1 100 1500 7000 1500");
      assertThat(w.readLine()).startsWith("holding");
      List<RecordingSink.Point> live = metrics(agent);
      Predicate<RecordingSink.Point> ours =
          x -> Long.valueOf(cg.id()).equals(x.attributes().get(Identity.CGROUP_ID));
      assertThat(value(live, NetMetrics.OPEN, ours, NetMetrics.STATE, "established"))
          .as("both ends, open (held 1.5 s)")
          .isEqualTo(2);
      String[] done = w.readLine().split(" ");
      assertThat(done[0]).isEqualTo("done");
      // The last close can come after the process returns (FIN exchange, timewait hand-off).
      long deadline = System.nanoTime() + 5_000_000_000L;
      List<RecordingSink.Point> m = metrics(agent);
      while (value(m, NetMetrics.CONNECTIONS, ours, NetMetrics.EVENT, "closed") < 2
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
        m = metrics(agent);
      }
      assertThat(value(m, NetMetrics.BYTES, ours, NetMetrics.DIRECTION, "transmit"))
          .isEqualTo(Long.parseLong(done[1]))
          .isEqualTo(157_000);
      assertThat(value(m, NetMetrics.BYTES, ours, NetMetrics.DIRECTION, "receive"))
          .isEqualTo(Long.parseLong(done[2]));
      assertThat(value(m, NetMetrics.CONNECTIONS, ours, NetMetrics.SIDE, "client")).isEqualTo(1);
      assertThat(value(m, NetMetrics.CONNECTIONS, ours, NetMetrics.SIDE, "server")).isEqualTo(1);
      assertThat(value(m, NetMetrics.CONNECTIONS, ours, NetMetrics.EVENT, "closed")).isEqualTo(2);
      assertThat(value(m, NetMetrics.CONNECTIONS, ours, NetMetrics.EVENT, "failed")).isZero();
      assertThat(value(m, NetMetrics.RETRANSMITS, ours, null, null)).isZero();
      assertThat(value(m, NetMetrics.OPEN, ours, null, null)).as("closed: not open").isZero();
      assertThat(m)
          .filteredOn(x -> x.metric().equals(NetMetrics.DURATION) && ours.test(x))
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.histogram().total()).isEqualTo(2);
                assertThat(x.value())
                    .as("sum of lifetimes, ns: each spans the 1.5 s hold")
                    .isBetween(2 * 1500e6, 2.0 * Long.parseLong(done[3]) + 1e9);
              });
      w.send("stop");
    }
  }

  /**
   * A cgroup's process makes and closes connections, and the cgroup is removed: its totals stay
   * while a collection exports their last values, then the sweep deletes them from the kernel's map
   * and from the collector, and counts it.
   */
  @Test
  void theTotalsOfARemovedCgroupAreExportedOnceMoreThenDeleted() throws Exception {
    long self = ProcessHandle.current().pid();
    long id;
    try (TestPipeline agent =
        TestPipeline.start(Set.of("net"), Map.of(), PhaseListener.NONE, TestPipeline.v2Cgroups())) {
      NetCollector c = agent.collector(NetProvider.NAME, NetCollector.class);
      try (CgroupDir cg = CgroupDir.create("aiprof-iomaps-" + self + "/net")) {
        id = cg.id();
        try (WorkloadProcess w = WorkloadProcess.start(null, TcpTraffic.class)) {
          cg.add(w.pid());
          w.send("pair 127.0.0.1 10 1000 100 0");
          assertThat(w.readLine()).startsWith("holding");
          assertThat(w.readLine()).startsWith("done");
          w.send("stop");
        }
        // Both ends closed into the kernel's totals, no socket of it left.
        await(
            () ->
                c.probe().workloads().stream().anyMatch(x -> x.cgroupId() == id && x.closed() >= 2)
                    && c.probe().sockets().stream().noneMatch(x -> x.cgroupId() == id));
      } // removed here
      double sent = sent(agent, id);
      assertThat(sent).as("still exported after removal").isGreaterThanOrEqualTo(10_000);
      List<Double> seen = new ArrayList<>();
      await(
          () -> {
            c.forgetRemovedCgroups();
            seen.add(sent(agent, id)); // each poll exports, as a reader does
            return c.probe().workloads().stream().noneMatch(x -> x.cgroupId() == id);
          });
      assertThat(seen.subList(0, seen.size() - 1))
          .as("every collection before the deletion had its last values")
          .allMatch(v -> v == sent);
      assertThat(sent(agent, id)).as("deleted here and in the kernel: not exported").isZero();
      assertThat(value(metrics(agent), NetMetrics.CGROUPS_REMOVED, x -> true, null, null))
          .isGreaterThanOrEqualTo(1);
    }
  }

  private static double sent(TestPipeline agent, long cgroup) {
    return value(
        metrics(agent),
        NetMetrics.BYTES,
        x -> Long.valueOf(cgroup).equals(x.attributes().get(Identity.CGROUP_ID)),
        NetMetrics.DIRECTION,
        "transmit");
  }

  private static void await(BooleanSupplier until) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!until.getAsBoolean()) {
      assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  static List<RecordingSink.Point> metrics(TestPipeline agent) {
    RecordingSink sink = new RecordingSink();
    agent.pipeline().metrics().collect(sink);
    return sink.points;
  }

  static double value(
      List<RecordingSink.Point> points,
      MetricId metric,
      Predicate<RecordingSink.Point> which,
      AttributeKey<String> key,
      String v) {
    return points.stream()
        .filter(x -> x.metric().equals(metric) && which.test(x))
        .filter(x -> key == null || v.equals(x.attributes().get(key)))
        .mapToDouble(RecordingSink.Point::value)
        .sum();
  }
}
