package dev.aiprof.agent.config;

import dev.aiprof.api.metrics.MetricId;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.metrics.MetricSource;
import io.opentelemetry.api.common.Attributes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * The agent's own CPU, heap and GC pauses as ordinary metrics, from an in-process JFR {@link
 * RecordingStream} with three low-cost events: {@code jdk.CPULoad} (one sample a period), {@code
 * jdk.GCHeapSummary} (at each GC) and {@code jdk.GCPhasePause} (each pause), no stack traces. The
 * process CPU time is the OS's exact counter. The first CPU load sample (always 0: it has no
 * baseline) is skipped. Memory: a few fields, whatever the run's length.
 *
 * <p>Lifecycle: {@link #start}, add as a metric source, {@link #close} after the last collection.
 * Thread-safe (the stream's thread writes, the metric reader's reads, under this object's lock).
 */
public final class SelfTelemetry implements MetricSource, AutoCloseable {
  public static final MetricId CPU_TIME =
      MetricId.counter("aiprof.agent.cpu.time", "CPU time the agent process used", "s");
  public static final MetricId CPU_LOAD =
      MetricId.gauge(
          "aiprof.agent.cpu.utilization",
          "The agent JVM's share of the machine's CPU (user and system) at the last JFR sample",
          "1");
  public static final MetricId HEAP_USED =
      MetricId.gauge(
          "aiprof.agent.heap.used", "Java heap in use after the last garbage collection", "By");
  public static final MetricId HEAP_COMMITTED =
      MetricId.gauge(
          "aiprof.agent.heap.committed",
          "Java heap committed at the last garbage collection",
          "By");
  public static final MetricId GC_PAUSE =
      MetricId.counter(
          "aiprof.agent.gc.pause.time", "Time the agent's threads were paused for GC", "s");
  public static final MetricId GC_PAUSES =
      MetricId.counter("aiprof.agent.gc.pauses", "The agent's GC pauses", "{pause}");

  private final RecordingStream stream;
  private double cpuLoad = Double.NaN;
  private long cpuSamples;
  private long heapUsed = -1;
  private long heapCommitted = -1;
  private long pauseNanos;
  private long pauses;

  private SelfTelemetry(RecordingStream stream) {
    this.stream = stream;
  }

  /** Starts the recording (its own daemon thread). */
  public static SelfTelemetry start(Duration cpuPeriod) {
    RecordingStream rs = new RecordingStream();
    SelfTelemetry t = new SelfTelemetry(rs);
    rs.enable("jdk.CPULoad").withPeriod(cpuPeriod);
    rs.enable("jdk.GCHeapSummary");
    rs.enable("jdk.GCPhasePause").withoutStackTrace().withThreshold(Duration.ZERO);
    rs.setMaxAge(Duration.ofSeconds(30));
    rs.onEvent("jdk.CPULoad", t::cpu);
    rs.onEvent("jdk.GCHeapSummary", t::heap);
    rs.onEvent("jdk.GCPhasePause", t::pause);
    rs.startAsync();
    return t;
  }

  private synchronized void cpu(RecordedEvent e) {
    if (cpuSamples++ > 0) { // the first has no baseline and reads 0
      cpuLoad = e.getFloat("jvmUser") + e.getFloat("jvmSystem");
    }
  }

  private synchronized void heap(RecordedEvent e) {
    if ("After GC".equals(e.getString("when"))) {
      heapUsed = e.getLong("heapUsed");
      heapCommitted = e.getValue("heapSpace.committedSize");
    }
  }

  private synchronized void pause(RecordedEvent e) {
    pauseNanos += e.getDuration().toNanos();
    pauses++;
  }

  @Override
  public synchronized void collect(MetricSink sink) {
    Attributes none = Attributes.empty();
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long ns = os.getProcessCpuTime();
      if (ns >= 0) {
        sink.counter(CPU_TIME, none, ns / 1e9);
      }
    }
    if (!Double.isNaN(cpuLoad)) {
      sink.gauge(CPU_LOAD, none, cpuLoad);
    }
    if (heapUsed >= 0) {
      sink.gauge(HEAP_USED, none, heapUsed);
      sink.gauge(HEAP_COMMITTED, none, heapCommitted);
    }
    sink.counter(GC_PAUSE, none, pauseNanos / 1e9);
    sink.counter(GC_PAUSES, none, pauses);
  }

  @Override
  public void close() {
    stream.close();
  }
}
