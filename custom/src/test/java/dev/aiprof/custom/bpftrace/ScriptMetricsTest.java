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
}
