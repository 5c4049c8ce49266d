package dev.aiprof.host;

import dev.aiprof.api.HostPaths;
import dev.aiprof.api.collector.Collector;
import dev.aiprof.api.collector.CollectorContext;
import dev.aiprof.api.metrics.MetricSink;
import dev.aiprof.api.settings.Settings;
import io.opentelemetry.api.common.Attributes;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Reads the host every {@code host.interval} on the pipeline's housekeeping thread ({@link
 * HostReader}: the files under {@code --procfs} and {@code --sysfs}; statvfs of the mounts runs on
 * the collector's own threads, {@link FileSystemReader}, each mount with a deadline) and reports
 * the latest reading as a metric source ({@link HostExport}); utilisation is between the last two
 * readings. The processor inventory comes from OSHI ({@link OshiInventory}), once, at the first
 * reading after start.
 *
 * <p>Lifecycle: {@link #start} reads once (so the first export has values; the file systems follow
 * when their first pass ends: start never waits on statvfs) and schedules the rest; {@link #close}
 * is idempotent (the pipeline stops housekeeping before it). Thread-safety: the reading thread
 * publishes each reading through a volatile field; {@link #collect} runs on the metric reader's
 * thread, one call at a time.
 */
public final class HostCollector implements Collector {
  private static final System.Logger LOG = System.getLogger(HostCollector.class.getName());

  private final Function<Settings, StatFs> statFs;
  private final Function<HostPaths, Inventory> inventory;
  private final LongSupplier clock;
  private final HostExport export = new HostExport();

  /** How long one mount's statvfs may take before it is skipped (a dead network server). */
  static final Duration STATFS_DEADLINE = Duration.ofSeconds(2);

  private HostReader reader;
  private FileSystemReader fileSystems;
  private HostPaths paths;
  private volatile Readings readings;
  private volatile Inventory processors;
  private boolean inventoryTried;
  private final boolean[] overLogged = new boolean[3];
  private volatile long reads;
  private volatile long lastReadNanos;

  private record Readings(HostReading previous, HostReading latest) {}

  /**
   * @param statFs the statvfs to use for the settings
   * @param inventory reads the processor inventory of a host tree (throws IllegalStateException
   *     when it cannot)
   * @param clock CLOCK_MONOTONIC nanoseconds
   */
  public HostCollector(
      Function<Settings, StatFs> statFs,
      Function<HostPaths, Inventory> inventory,
      LongSupplier clock) {
    this.statFs = statFs;
    this.inventory = inventory;
    this.clock = clock;
  }

  @Override
  public void start(CollectorContext ctx) {
    Settings s = ctx.settings();
    paths = ctx.paths();
    boolean init = s.get(HostSettings.NETWORK_NAMESPACE).equals("init");
    fileSystems = new FileSystemReader(statFs.apply(s), STATFS_DEADLINE.toNanos());
    reader = new HostReader(paths, fileSystems, Filters.of(s), init, clock);
    HostReading first = readOnce();
    if (first.cpu() == null && first.memory() == null) {
      fileSystems.close();
      throw new IllegalStateException(
          "cannot read "
              + paths.proc("stat")
              + " nor "
              + paths.proc("meminfo")
              + ": host metrics off (point --procfs at the host's /proc)");
    }
    Duration interval = s.get(HostSettings.INTERVAL);
    ctx.metrics(this::collect);
    ctx.every("read", interval, this::tick);
    LOG.log(
        Level.INFO,
        "host: reading "
            + paths.procfs()
            + " and "
            + paths.sysfs()
            + " every "
            + interval
            + " ("
            + (first.disks() == null ? 0 : first.disks().size())
            + " disks, "
            + (first.interfaces() == null ? 0 : first.interfaces().size())
            + " interfaces; file systems on their own thread, statvfs deadline "
            + STATFS_DEADLINE
            + ")");
  }

  /** One housekeeping run: the inventory once, then a reading. */
  void tick() {
    if (!inventoryTried) {
      inventoryTried = true;
      try {
        processors = inventory.apply(paths);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "host: no processor inventory from OSHI: " + e.getMessage());
      }
    }
    readOnce();
  }

  private HostReading readOnce() {
    long t0 = System.nanoTime();
    HostReading r = reader.read();
    lastReadNanos = System.nanoTime() - t0;
    Readings before = readings;
    readings = new Readings(before == null ? null : before.latest(), r);
    reads++;
    logOver(0, "disk", r.over().disks(), HostSettings.MAX_DEVICES.key());
    logOver(1, "file system", r.over().fileSystems(), HostSettings.MAX_FILESYSTEMS.key());
    logOver(2, "interface", r.over().interfaces(), HostSettings.MAX_INTERFACES.key());
    return r;
  }

  private void logOver(int kind, String what, int over, String key) {
    if (over > 0 && !overLogged[kind]) {
      overLogged[kind] = true;
      LOG.log(
          Level.WARNING,
          "host: "
              + over
              + " more "
              + what
              + "s than "
              + key
              + " allows are not reported (counted in aiprof.host.series.dropped; raise "
              + key
              + " or exclude them)");
    }
  }

  /** The metric source: the latest reading, and the collector's own counts. */
  void collect(MetricSink sink) {
    Readings r = readings;
    if (r == null) {
      return;
    }
    export.collect(
        r.previous(), r.latest().withFileSystems(fileSystems.latest()), processors, sink);
    sink.counter(HostMetrics.READS, Attributes.empty(), reads);
    sink.counter(HostMetrics.READ_FAILURES, Attributes.empty(), reader.failures);
    sink.gauge(HostMetrics.READ_DURATION, Attributes.empty(), lastReadNanos / 1e9);
    sink.counter(HostMetrics.STATFS_TIMEOUTS, Attributes.empty(), fileSystems.timeouts());
    sink.counter(HostMetrics.STATFS_SKIPPED, Attributes.empty(), fileSystems.skipped());
  }

  /** The processor inventory, once read (null before, or when OSHI could not read it). */
  Inventory inventory() {
    return processors;
  }

  /**
   * For tests: waits until the file-system pass the last reading asked for has finished (false at
   * the timeout).
   */
  boolean awaitFileSystems(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!fileSystems.closed() && (fileSystems.busy() || fileSystems.completed() == 0)) {
      if (System.nanoTime() >= end) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  /** The file-system reader (tests). */
  FileSystemReader fileSystems() {
    return fileSystems;
  }

  @Override
  public void close() {
    readings = null;
    if (fileSystems != null) {
      fileSystems.close();
    }
  }
}
