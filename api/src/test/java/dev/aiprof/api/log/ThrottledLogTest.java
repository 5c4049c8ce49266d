package dev.aiprof.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {
  /** A System.Logger that keeps its lines. */
  static final class Lines implements System.Logger {
    final List<String> lines = new ArrayList<>();
    final List<Throwable> thrown = new ArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable t) {
      lines.add(msg);
      thrown.add(t);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(format);
      thrown.add(null);
    }
  }

  private final AtomicLong now = new AtomicLong();
  private final Lines out = new Lines();
  private final ThrottledLog log = new ThrottledLog(out, Duration.ofSeconds(60), now::get);

  @Test
  void oneLinePerCausePerIntervalThenTheSuppressedCount() {
    for (int i = 0; i < 1000; i++) {
      log.log(Level.WARNING, "test.flood", "request " + i + " failed");
    }
    log.log(Level.WARNING, "test.other", "another cause");
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    log.log(Level.WARNING, "test.flood", "request 1000 failed");
    System.out.printf(
        "throttled-log: 1001 lines of one cause over 61 s -> %d lines written, %d suppressed%n",
        out.lines.size() - 1, ThrottledLog.suppressed("test.flood"));
    assertThat(out.lines)
        .containsExactly(
            "request 0 failed",
            "another cause",
            "request 1000 failed [999 more like this suppressed]");
    assertThat(ThrottledLog.suppressed("test.flood")).isEqualTo(999);
    assertThat(ThrottledLog.logged("test.flood")).isEqualTo(2);
  }

  @Test
  void anExceptionIsItsRootCauseOnOneLineWithoutAStackTrace() {
    Exception e =
        new RuntimeException("outer", new IllegalStateException("inner cause\nsecond line"));
    log.log(Level.WARNING, "test.exception", "it failed", e);
    assertThat(out.lines)
        .containsExactly("it failed (java.lang.IllegalStateException: inner cause)");
    assertThat(out.thrown).containsOnlyNulls();
  }

  @Test
  void theCountsAreExportedByCauseAndOutcome() {
    log.log(Level.WARNING, "test.report", "a");
    log.log(Level.WARNING, "test.report", "b");
    Map<String, Double> values = new HashMap<>();
    ThrottledLog.report(
        new MetricSink() {
          @Override
          public void counter(MetricId metric, Attributes a, double cumulative) {
            if ("test.report".equals(a.get(ThrottledLog.CAUSE))) {
              values.put(metric.name() + "/" + a.get(ThrottledLog.OUTCOME), cumulative);
            }
          }

          @Override
          public void gauge(MetricId metric, Attributes attributes, double value) {}

          @Override
          public void histogram(
              MetricId metric, Attributes attributes, Log2Histogram nanos, long sumNanos) {}
        });
    assertThat(values)
        .containsEntry("aiprof.log.messages/logged", 1.0)
        .containsEntry("aiprof.log.messages/suppressed", 1.0);
  }
}
