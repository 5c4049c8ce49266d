package dev.aiprof.gpu.nvml;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Waits for XID events on its own thread ({@code aiprof-nvml-events}): one event set with every GPU
 * registered for critical XIDs, {@code nvmlEventSetWait_v2} with a short timeout so that close is
 * prompt. Each XID goes to the {@link XidLog}; XID 79 (fallen off the bus) also marks the device
 * lost. A failing wait is counted and retried after a pause; where the driver has no event support
 * at all the thread ends with one line (the sampler goes on).
 */
final class XidWatcher implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(XidWatcher.class.getName());
  static final long XID_FALLEN_OFF_BUS = 79;
  private static final int WAIT_MS = 200;

  private final Nvml nvml;
  private final List<DeviceState> devices;
  private final XidLog log;
  private final LongSupplier clock;
  private final Thread thread;
  final AtomicLong failures = new AtomicLong();
  private volatile boolean closed;
  private volatile String off;

  XidWatcher(Nvml nvml, List<DeviceState> devices, XidLog log, LongSupplier clock) {
    this.nvml = nvml;
    this.devices = devices;
    this.log = log;
    this.clock = clock;
    this.thread = Thread.ofPlatform().daemon().name("aiprof-nvml-events").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Why events are not watched (no support in the driver), or null while they are. */
  String off() {
    return off;
  }

  private void run() {
    long set;
    try {
      set = nvml.eventSetCreate();
      for (DeviceState d : devices) {
        if (!d.device.mig()) {
          register(set, d);
        }
      }
    } catch (NvmlException e) {
      off = e.getMessage();
      LOG.log(System.Logger.Level.WARNING, "nvml: XID events off: " + e.getMessage());
      return;
    }
    try {
      while (!closed) {
        waitOnce(set);
      }
    } finally {
      free(set);
    }
  }

  private void register(long set, DeviceState d) {
    try {
      nvml.registerEvents(set, d.device.handle(), Nvml.EVENT_XID);
    } catch (NvmlException e) {
      LOG.log(System.Logger.Level.INFO, "nvml: no XID events from " + d.device.label() + ": " + e);
    }
  }

  private void waitOnce(long set) {
    try {
      Optional<Nvml.Event> e = nvml.eventWait(set, WAIT_MS);
      e.filter(ev -> (ev.type() & Nvml.EVENT_XID) != 0).ifPresent(this::record);
    } catch (NvmlException e) {
      if (e.code().unsupported()) {
        off = e.getMessage();
        LOG.log(System.Logger.Level.WARNING, "nvml: XID events off: " + e.getMessage());
        closed = true;
        return;
      }
      failed(e);
    } catch (RuntimeException e) {
      failed(e); // never let the thread die half-way: count, pause, wait again
    }
  }

  private void failed(RuntimeException e) {
    if (failures.getAndIncrement() == 0) {
      LOG.log(System.Logger.Level.WARNING, "nvml: waiting for XID events failed: " + e);
    }
    pause();
  }

  private void record(Nvml.Event e) {
    for (DeviceState d : devices) {
      if (d.device.handle().equals(e.device()) && !d.device.mig()) {
        log.record(new XidLog.Xid(clock.getAsLong(), d.device, e.data()));
        if (e.data() == XID_FALLEN_OFF_BUS) {
          d.markLost("XID 79 (fallen off the bus)");
          devices.stream()
              .filter(m -> d.device.uuid().equals(m.device.parent()))
              .forEach(m -> m.markLost("parent " + d.device.label() + ": XID 79"));
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private void free(long set) {
    try {
      nvml.eventSetFree(set);
    } catch (NvmlException e) {
      LOG.log(System.Logger.Level.DEBUG, "nvml: freeing the event set: " + e);
    }
  }

  /** Stops the thread (within one wait) and frees the event set; idempotent. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
