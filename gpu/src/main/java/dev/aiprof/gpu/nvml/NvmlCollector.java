package dev.aiprof.gpu.nvml;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Settings;
import dev.aiprof.api.supervise.SupervisedLoop;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Samples every GPU (and MIG device) through {@link Nvml} every {@code nvml.interval} on its own
 * thread ({@code aiprof-nvml-sampler}), watches XIDs on another ({@link XidWatcher}), and takes up
 * three roles: metric source ({@link NvmlExport}, {@link Allocations}, {@link DcgmNames}), phase
 * signal ({@link NvmlSignal}) and report section ({@link GpuReport}).
 *
 * <p>Start fails with one line naming the cause and the fix when NVML cannot be loaded or
 * initialised (no driver): the pipeline records the collector as off and goes on. At run time a
 * lost device is recorded ({@code hw.status{hw.state=failed}}) and no longer sampled; the others go
 * on. Close stops both threads and shuts NVML down; idempotent.
 */
public final class NvmlCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(NvmlCollector.class.getName());
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final AtomicLong samplerCpuNs = new AtomicLong();
  private final AtomicLong rounds = new AtomicLong();

  private final Function<Settings, Nvml> open;
  private final LongSupplier clock;
  private Nvml nvml;
  private ScheduledExecutorService sampler;
  private volatile XidWatcher xids;
  private final List<DeviceState> devices = new ArrayList<>();
  private final XidLog xidLog = new XidLog();
  private ProcessCgroups cgroups;
  private int maxProcesses;
  private boolean closed;
  private NvmlExport export;
  private PodResources podResources;
  private Allocations allocations;
  private DcgmNames dcgm;

  /**
   * @param open loads and initialises NVML from the settings (throws NvmlException)
   * @param clock CLOCK_MONOTONIC nanoseconds, the phases' clock
   */
  public NvmlCollector(Function<Settings, Nvml> open, LongSupplier clock) {
    this.open = open;
    this.clock = clock;
  }

  @Override
  public void start(CollectorContext ctx) {
    Settings settings = ctx.settings();
    try {
      nvml = open.apply(settings);
    } catch (NvmlException e) {
      throw new IllegalStateException(NvmlProvider.unavailable(e, settings));
    }
    Devices.Found found = Devices.discover(nvml);
    found.problems().forEach(p -> LOG.log(System.Logger.Level.WARNING, "nvml: " + p));
    if (found.devices().isEmpty()) {
      throw new IllegalStateException(
          "NVML found no GPU" + (found.problems().isEmpty() ? "" : ": " + found.problems()));
    }
    cgroups = new ProcessCgroups(ctx.paths());
    maxProcesses = settings.get(NvmlSettings.MAX_PROCESSES);
    int ring = settings.get(NvmlSettings.RING);
    for (GpuDevice d : found.devices()) {
      devices.add(state(d, ring));
    }
    Duration interval = settings.get(NvmlSettings.INTERVAL);
    export = new NvmlExport(devices, xidLog);
    allocations(ctx, settings, found.devices());
    DcgmNames names =
        settings.get(NvmlSettings.DCGM_NAMES)
            ? new DcgmNames(devices, xidLog, hostname(ctx), () -> allocations)
            : null;
    this.dcgm = names;
    ctx.metrics(this::collect);
    ctx.signal(new NvmlSignal(devices, xidLog, interval));
    ctx.report(new GpuReport(devices, xidLog, interval, clock));
    xids = new XidWatcher(nvml, devices, xidLog, clock);
    xids.start();
    sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("aiprof-nvml-sampler").unstarted(r));
    sampler.scheduleAtFixedRate(
        SupervisedLoop.periodic("aiprof-nvml-sampler", this::round),
        0,
        interval.toNanos(),
        TimeUnit.NANOSECONDS);
    LOG.log(
        System.Logger.Level.INFO,
        "nvml: sampling " + devices.size() + " devices every " + interval + " (" + driver() + ")");
  }

  private String driver() {
    try {
      return "driver " + nvml.driverVersion();
    } catch (NvmlException e) {
      return e.getMessage();
    }
  }

  /** The metric source: every device, the allocations, dcgm names, and the collector's own. */
  private void collect(MetricSink sink) {
    export.collect(sink);
    sink.counter(NvmlMetrics.ROUNDS, Attributes.empty(), rounds.get());
    sink.counter(NvmlMetrics.SAMPLER_CPU, Attributes.empty(), samplerCpuNs.get() / 1e9);
    if (allocations != null) {
      allocations.collect(sink);
    }
    if (dcgm != null) {
      dcgm.collect(sink);
    }
    XidWatcher w = xids;
    if (w != null) {
      sink.counter(NvmlMetrics.EVENT_ERRORS, Attributes.empty(), w.failures.get());
      sink.gauge(NvmlMetrics.EVENTS_OFF, Attributes.empty(), w.off() == null ? 0 : 1);
    }
  }

  private void allocations(CollectorContext ctx, Settings settings, List<GpuDevice> found) {
    String socket = settings.get(NvmlSettings.POD_RESOURCES);
    if (socket.isBlank() || socket.equals("off")) {
      return;
    }
    podResources = PodResources.open(Path.of(socket));
    if (podResources == null) {
      LOG.log(System.Logger.Level.DEBUG, "nvml: no " + socket + ": no GPU allocations");
      return;
    }
    allocations = new Allocations(podResources, found);
    allocations.refresh();
    ctx.every(
        "pod-resources", settings.get(NvmlSettings.POD_RESOURCES_INTERVAL), allocations::refresh);
  }

  private static String hostname(CollectorContext ctx) {
    try {
      return Files.readString(ctx.paths().proc("sys", "kernel", "hostname")).strip();
    } catch (IOException e) {
      return "";
    }
  }

  private DeviceState state(GpuDevice d, int ring) {
    DeviceState[] self = new DeviceState[1];
    DeviceSampler s =
        new DeviceSampler(
            nvml,
            d,
            maxProcesses,
            (r, e) ->
                LOG.log(
                    System.Logger.Level.INFO,
                    "nvml: " + d.label() + " has no " + r.id() + " reading: " + e.getMessage()),
            (r, e) -> self[0].failed(r),
            pid -> cgroups.of(pid));
    self[0] = new DeviceState(s, ring);
    return self[0];
  }

  /** One sampling round: every device not lost; a lost one is recorded and left out after. */
  void round() {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    try {
      sampleAll();
    } catch (RuntimeException | LinkageError e) {
      // never let the schedule die: the next round tries again
      LOG.log(System.Logger.Level.WARNING, "nvml: sampling round failed: " + e);
    }
    samplerCpuNs.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
    rounds.incrementAndGet();
  }

  private void sampleAll() {
    Set<Integer> pids = new HashSet<>();
    for (DeviceState d : devices) {
      if (d.lost() != null) {
        continue;
      }
      try {
        DeviceSample s = d.sampler.sample(clock.getAsLong());
        d.publish(s);
        s.processes.forEach(p -> pids.add(p.pid()));
      } catch (NvmlException e) {
        d.markLost(e.getMessage());
        LOG.log(
            System.Logger.Level.WARNING,
            "nvml: " + d.device.label() + " is lost: " + e.getMessage());
      } catch (RuntimeException e) {
        d.failed(Reading.UTILIZATION);
        LOG.log(System.Logger.Level.WARNING, "nvml: sampling " + d.device.label() + ": " + e);
      }
    }
    cgroups.retain(pids);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sampler != null) {
      sampler.shutdownNow();
      try {
        sampler.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (xids != null) {
      xids.close();
    }
    if (podResources != null) {
      podResources.close();
    }
    if (nvml != null) {
      nvml.close();
    }
  }
}
