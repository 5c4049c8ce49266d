package dev.aiprof.report.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricReaderTest {
  /** One export as the SDK writes it: a sum and a gauge, points with attributes. */
  static String line(long t, double dropped, double util) {
    return line(0, t, dropped, util);
  }

  static String line(long start, long t, double dropped, double util) {
    return """
        {"resourceMetrics":[{"resource":{"attributes":[\
        {"key":"service.name","value":{"stringValue":"aiprof"}}]},"scopeMetrics":[{"metrics":[\
        {"name":"aiprof.probe.dropped","sum":{"dataPoints":[\
        {"startTimeUnixNano":"%4$d","timeUnixNano":"%1$d","asDouble":%2$s,"attributes":[\
        {"key":"aiprof.probe","value":{"stringValue":"sched"}}]},\
        {"timeUnixNano":"%1$d","asDouble":0.0,"attributes":[\
        {"key":"aiprof.probe","value":{"stringValue":"marker"}}]}],\
        "aggregationTemporality":2,"isMonotonic":true}},\
        {"name":"aiprof.export.spans","sum":{"dataPoints":[\
        {"timeUnixNano":"%1$d","asInt":"500","attributes":[\
        {"key":"aiprof.outcome","value":{"stringValue":"exported"}}]}]}},\
        {"name":"hw.gpu.utilization","gauge":{"dataPoints":[\
        {"timeUnixNano":"%1$d","asDouble":%3$s,"attributes":[\
        {"key":"hw.id","value":{"stringValue":"0"}}]}]}},\
        {"name":"aiprof.sched.cpu.time","sum":{"dataPoints":[{"timeUnixNano":"%1$d","asDouble":9}]}}\
        ]}]}]}"""
        .formatted(t, dropped, util, start);
  }

  @Test
  void aLossIsWhatACounterGrewInTheWindowAndExportedSpansAreNoLoss() {
    MetricReader r = new MetricReader(1500);
    r.readLine(line(1000, 3, 0.25)); // before the window
    r.readLine(line(2000, 5, 0.5)); // the first in it: the base
    r.readLine(line(3000, 9, 0.75));
    r.readLine(line(2500, 3500, 2, 0)); // a restarted agent's counter, started inside the window
    assertThat(r.losses())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.series()).isEqualTo("aiprof.probe.dropped{aiprof.probe:sched}");
              assertThat(l.value()).isEqualTo(4 + 2);
            });
  }

  @Test
  void gpuUtilisationIsASeriesPerDevice() {
    MetricReader r = new MetricReader(1500);
    r.readLine(line(1000, 0, 0.25));
    r.readLine(line(2000, 0, 0.75));
    r.readLine("not json");
    assertThat(r.gpus())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.id()).isEqualTo("0");
              assertThat(g.points()).hasSize(1);
              assertThat(g.points().getFirst()).containsExactly(2000, 750_000);
            });
    assertThat(r.badLines()).isEqualTo(1);
  }
}
