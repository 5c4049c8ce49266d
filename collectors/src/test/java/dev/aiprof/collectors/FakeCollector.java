package dev.aiprof.collectors;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;

/** A collector that reports one counter, or fails where told to. */
final class FakeCollector implements Collector {
  static final MetricId TICKS = MetricId.counter("test.ticks", "Collections so far", "1");

  private final String name;
  private final boolean failStart;
  private final boolean failCollect;
  int collections;
  boolean closed;

  FakeCollector(String name) {
    this(name, false, false);
  }

  FakeCollector(String name, boolean failStart, boolean failCollect) {
    this.name = name;
    this.failStart = failStart;
    this.failCollect = failCollect;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(CollectorContext context) throws Exception {
    if (failStart) {
      throw new Exception(name + " needs hardware this host lacks");
    }
  }

  @Override
  public void collect(MetricSink sink) {
    collections++;
    if (failCollect) {
      throw new IllegalStateException(name + " broke");
    }
    sink.counter(TICKS, Attributes.empty(), collections);
  }

  @Override
  public void close() {
    closed = true;
  }
}
