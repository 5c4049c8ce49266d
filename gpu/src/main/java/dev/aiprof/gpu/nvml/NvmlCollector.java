package dev.aiprof.gpu.nvml;

import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Settings;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Samples every GPU (and MIG device) through {@link Nvml} every {@code nvml.interval}, each device
 * on its own task in a small pool ({@link SamplerPool}: a device whose calls hang is skipped,
 * counted and degraded, the others sampled on time), watches XIDs on its own thread ({@link
 * XidWatcher}), and takes up three roles: metric source ({@link NvmlExport}, {@link Allocations},
 * {@link DcgmNames}), phase signal ({@link NvmlSignal}) and report section ({@link GpuReport}).
 *
 * <p>Start fails with one line naming the cause and the fix when NVML cannot be loaded or
 * initialised (no driver): the pipeline records the collector as off and goes on. At run time a
 * lost device is recorded ({@code hw.status{hw.state=failed}}) and no longer sampled; the others go
 * on; a late device or one whose every reading fails is {@code degraded} ({@link
 * DeviceState#state()} has the rule). Close stops the threads and shuts NVML down, waiting at most
 * 2 s: a call still stuck inside NVML then cannot be interrupted, so nvmlShutdown is left to run
 * when it returns (on its daemon thread, which then ends). Idempotent.
 */
public final class NvmlCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(NvmlCollector.class.getName());
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final AtomicLong samplerCpuNs = new AtomicLong();
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final Function<Settings, Nvml> open;
  private final LongSupplier clock;
  private Nvml nvml;
  private SamplerPool sampler;
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
        new SamplerPool(
            devices, settings.get(NvmlSettings.THREADS), interval, this::sampleOne, this::forget);
    sampler.start();
    LOG.log(
        System.Logger.Level.INFO,
        "nvml: sampling "
            + devices.size()
            + " devices every "
            + interval
            + " on "
            + sampler.threads()
            + " threads ("
            + driver()
            + ")");
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
    sink.counter(NvmlMetrics.ROUNDS, Attributes.empty(), sampler.rounds.get());
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

  /** One sample of one device, on a pool thread; a lost device is recorded and left out after. */
  void sampleOne(DeviceState d) {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    try {
      d.publish(d.sampler.sample(clock.getAsLong()));
    } catch (NvmlException e) {
      d.markLost(e.getMessage());
      LOG.log(
          System.Logger.Level.WARNING, "nvml: " + d.device.label() + " is lost: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      d.failed(Reading.UTILIZATION);
      d.failedSample();
      LOG.log(System.Logger.Level.WARNING, "nvml: sampling " + d.device.label() + ": " + e);
    } finally {
      samplerCpuNs.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu0);
    }
  }

  /** After each round: forgets the cgroups of pids no device's latest sample lists. */
  private void forget() {
    Set<Integer> pids = new HashSet<>();
    for (DeviceState d : devices) {
      DeviceSample s = d.latest();
      if (s != null) {
        s.processes.forEach(p -> pids.add(p.pid()));
      }
    }
    cgroups.retain(pids);
  }

  /** Stops the sampling; false when a device's call is still inside NVML after the wait. */
  private boolean stopSampler() {
    if (sampler == null) {
      return true;
    }
    try {
      if (sampler.stop(CLOSE_WAIT)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "nvml: "
            + devices.stream().filter(DeviceState::running).map(d -> d.device.label()).toList()
            + " still inside an NVML call after "
            + CLOSE_WAIT.toMillis()
            + " ms; nvmlShutdown waits for it (its daemon thread ends when the call returns)");
    return false;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean stopped = stopSampler();
    if (xids != null) {
      xids.close();
    }
    if (podResources != null) {
      podResources.close();
    }
    if (nvml == null) {
      return;
    }
    if (stopped) {
      nvml.close();
    } else {
      // nvmlShutdown under a call still running is not safe: it runs when that call returns
      sampler.whenStopped(nvml::close);
    }
  }
}
