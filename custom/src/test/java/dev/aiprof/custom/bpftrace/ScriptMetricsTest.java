package dev.aiprof.custom.bpftrace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Identity;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScriptMetricsTest {
  record Point(MetricId id, Attributes a, double v) {}

  static final class Sink implements MetricSink {
    final List<Point> points = new ArrayList<>();

    @Override
    public void counter(MetricId m, Attributes a, double c) {
      points.add(new Point(m, a, c));
    }

    @Override
    public void gauge(MetricId m, Attributes a, double v) {
      points.add(new Point(m, a, v));
    }

    @Override
    public void histogram(MetricId m, Attributes a, Log2Histogram h, long sum) {
      points.add(new Point(m, a, h.total()));
    }
  }

  @Test
  void mapsBecomeMetricsAndPidAndCgroupKeysIdentity() {
    Script s =
        Script.of(
            "sys",
            "test",
            "t:x { @calls[cgroup] = count(); @by[pid, comm] = sum(1); @lat = hist(1); @m = max(1);"
                + " @st = stats(1); }");
    ScriptMetrics m = new ScriptMetrics(s, pid -> Optional.of(new PidCgroups.Ids(77, 5)));
    OutputParser p = new OutputParser(100);
    Map<String, Integer> parts = Map.of("calls", 1, "by", 2);
    for (String line :
        List.of(
            "{\"type\": \"map\", \"data\": {\"@calls\": {\"4242\": 17}}}",
            "{\"type\": \"map\", \"data\": {\"@by\": {\"12,bash\": 3}}}",
            "{\"type\": \"hist\", \"data\": {\"@lat\": [{\"min\": 2, \"max\": 3, \"count\": 4}]}}",
            "{\"type\": \"map\", \"data\": {\"@m\": 9}}",
            "{\"type\": \"stats\", \"data\": {\"@st\": {\"count\": 2, \"average\": 3, \"total\": 6}}}")) {
      assertThat(m.update((OutputLine.MapPrint) p.parse(line, parts))).isTrue();
    }
    assertThat(m.update(new OutputLine.MapPrint("undeclared", List.of(), 0))).isFalse();
    Sink sink = new Sink();
    m.collect(sink);
    assertThat(sink.points)
        .anySatisfy(
            x -> {
              assertThat(x.id().name()).isEqualTo("bpftrace.sys.calls");
              assertThat(x.id().kind()).isEqualTo(MetricId.Kind.COUNTER);
              assertThat(x.a().get(Identity.CGROUP_ID)).isEqualTo(4242L);
              assertThat(x.v()).isEqualTo(17);
            })
        .anySatisfy(
            x -> {
              assertThat(x.id().name()).isEqualTo("bpftrace.sys.by");
              assertThat(x.a().get(Identity.PID)).isEqualTo(12L);
              assertThat(x.a().get(Identity.CGROUP_ID)).isEqualTo(77L);
              assertThat(x.a().get(Identity.CGROUP_V1_ID)).isEqualTo(5L);
              assertThat(x.a().get(AttributeKey.stringKey("bpftrace.comm"))).isEqualTo("bash");
            })
        .anySatisfy(
            x -> {
              assertThat(x.id().name()).isEqualTo("bpftrace.sys.lat");
              assertThat(x.id().kind()).isEqualTo(MetricId.Kind.HISTOGRAM);
              assertThat(x.v()).isEqualTo(4);
            })
        .anySatisfy(
            x -> {
              assertThat(x.id().name()).isEqualTo("bpftrace.sys.m");
              assertThat(x.id().kind()).isEqualTo(MetricId.Kind.GAUGE);
            })
        .anySatisfy(
            x -> {
              assertThat(x.id().name()).isEqualTo("bpftrace.sys.st.total");
              assertThat(x.v()).isEqualTo(6);
            });
  }

  @Test
  void stateFilesRoundTrip() {
    ScriptStatus st =
        new ScriptStatus("a", "/x/a.bt", ScriptState.BACKOFF, 0, 3, 3, "line 1\nERROR: x\\y");
    assertThat(ScriptStatus.parse(st.toStateFile())).isEqualTo(st);
  }

  private static double value(ScriptMetrics m, String metric) {
    Sink sink = new Sink();
    m.collect(sink);
    return sink.points.stream()
        .filter(x -> x.id().name().equals(metric))
        .mapToDouble(Point::v)
        .sum();
  }

  @Test
  void aRestartedRunNeverLowersCountersHistogramsOrStats() {
    Script s =
        Script.of(
            "r", "test", "t:x { @c[comm] = count(); @h = hist(1); @st = stats(1); @g = max(1); }");
    ScriptMetrics m = new ScriptMetrics(s, pid -> Optional.empty(), 100);
    OutputParser p = new OutputParser(100);
    Map<String, Integer> parts = Map.of();
    List<Double> counter = new ArrayList<>();
    List<Double> hist = new ArrayList<>();
    List<Double> stats = new ArrayList<>();
    // run 1 counts to 5, run 2 starts again from 0 and counts to 3
    for (int[] run : new int[][] {{2, 5}, {1, 3}}) {
      for (int c : run) {
        for (String line :
            List.of(
                "{\"type\": \"map\", \"data\": {\"@c\": {\"bash\": " + c + "}}}",
                "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 2, \"max\": 3,"
                    + " \"count\": "
                    + c
                    + "}]}}",
                "{\"type\": \"stats\", \"data\": {\"@st\": {\"count\": "
                    + c
                    + ", \"average\": 1, \"total\": "
                    + c
                    + "}}}",
                "{\"type\": \"map\", \"data\": {\"@g\": 9}}")) {
          assertThat(m.update((OutputLine.MapPrint) p.parse(line, parts))).isTrue();
        }
        counter.add(value(m, "bpftrace.r.c"));
        hist.add(value(m, "bpftrace.r.h"));
        stats.add(value(m, "bpftrace.r.st.count"));
      }
      m.runEnded();
      counter.add(value(m, "bpftrace.r.c"));
      // between runs (backoff) the gauge is not exported as if live
      assertThat(value(m, "bpftrace.r.g")).isZero();
    }
    assertThat(counter)
        .isSortedAccordingTo(Double::compare)
        .containsExactly(2.0, 5.0, 5.0, 6.0, 8.0, 8.0);
    assertThat(hist).containsExactly(2.0, 5.0, 6.0, 8.0);
    assertThat(stats).containsExactly(2.0, 5.0, 6.0, 8.0);
  }

  @Test
  void programCostIsARunningTotalOverRestartsAndBackoff() {
    var total = new BpftraceCollector.CostTotal();
    var run1 = new java.util.HashMap<Integer, dev.aiprof.bpf.ProgramStats>();
    run1.put(10, new dev.aiprof.bpf.ProgramStats("", 10, 100, 1, 0));
    assertThat(total.add(7, pid -> run1).runTimeNs()).isEqualTo(100);
    run1.put(10, new dev.aiprof.bpf.ProgramStats("", 10, 250, 3, 0));
    assertThat(total.add(7, pid -> run1).runTimeNs()).isEqualTo(250);
    // backoff: no pid
    assertThat(total.add(0, pid -> Map.of()).runTimeNs()).isEqualTo(250);
    // restarted: new program id, counting from 0
    var run2 = Map.of(11, new dev.aiprof.bpf.ProgramStats("", 11, 40, 1, 0));
    var after = total.add(8, pid -> run2);
    assertThat(after.runTimeNs()).isEqualTo(290);
    assertThat(after.runCount()).isEqualTo(4);
  }
}
