package dev.aiprof.gpu.nvml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written {@link Nvml} for everything above the binding: GPUs whose readings a test sets,
 * processes, lost devices, XIDs (delivered to every event set), MIG devices, and readings a device
 * does not support. Thread-safe (the collector's threads read while the test writes).
 */
final class InMemoryNvml implements Nvml {
  /** One device's scripted state. */
  static final class Gpu {
    final String uuid;
    final String name;
    volatile int util;
    volatile int memUtil;
    volatile long memTotal = 80L << 30;
    volatile long memUsed;
    volatile int powerMw = 100_000;
    volatile long energyMj = 1_000_000;
    volatile int temperature = 40;
    volatile long reasons;
    volatile boolean lost;
    volatile boolean noProcessUtilization;

    /** While set, a utilisation call waits for it, deaf to interrupts (a call stuck in NVML). */
    volatile java.util.concurrent.CountDownLatch stuck;

    volatile List<Process> processes = List.of();
    volatile List<ProcessSample> samples = List.of();
    final List<Gpu> mig = new ArrayList<>();
    Gpu parent;
    int gi = -1;

    Gpu(String uuid, String name) {
      this.uuid = uuid;
      this.name = name;
    }
  }

  final List<Gpu> gpus = new ArrayList<>();
  private final List<Gpu> all = new ArrayList<>();
  private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
  volatile boolean closed;
  volatile int utilizationCalls;

  InMemoryNvml(int count) {
    for (int i = 0; i < count; i++) {
      Gpu g = new Gpu("GPU-" + i, "Test GPU");
      gpus.add(g);
      all.add(g);
    }
  }

  Gpu addMig(int parent, int gi) {
    Gpu p = gpus.get(parent);
    Gpu m = new Gpu("MIG-" + parent + "-" + gi, p.name + " MIG 1g.10gb");
    m.parent = p;
    m.gi = gi;
    m.memTotal = 10L << 30;
    p.mig.add(m);
    all.add(m);
    return m;
  }

  void xid(int gpu, long code) {
    events.add(new Event(handle(gpus.get(gpu)), EVENT_XID, code, -1, -1));
  }

  private Device handle(Gpu g) {
    return new Device(all.indexOf(g) + 1);
  }

  private Gpu gpu(Device d) {
    Gpu g = all.get((int) d.handle() - 1);
    if (g.lost || (g.parent != null && g.parent.lost)) {
      throw new NvmlException("test", NvmlReturn.ERROR_GPU_IS_LOST, "GPU is lost");
    }
    return g;
  }

  private static NvmlException unsupported() {
    return new NvmlException("test", NvmlReturn.ERROR_NOT_SUPPORTED, "Not Supported");
  }

  @Override
  public void init() {}

  @Override
  public String driverVersion() {
    return "575.57.08";
  }

  @Override
  public String nvmlVersion() {
    return "12.575.57.08";
  }

  @Override
  public String errorString(NvmlReturn code) {
    return code.symbol();
  }

  @Override
  public int deviceCount() {
    return gpus.size();
  }

  @Override
  public Device handleByIndex(int index) {
    return handle(gpus.get(index));
  }

  @Override
  public String uuid(Device d) {
    return gpu(d).uuid;
  }

  @Override
  public String name(Device d) {
    return gpu(d).name;
  }

  @Override
  public Pci pciInfo(Device d) {
    int i = gpus.indexOf(gpu(d));
    return new Pci(String.format("00000000:%02X:00.0", 0x10 + i), 0, 0x10 + i, 0, 0x2330, 0);
  }

  @Override
  public Utilization utilization(Device d) {
    Gpu g = gpu(d);
    if (g.parent != null) {
      throw unsupported();
    }
    utilizationCalls++;
    java.util.concurrent.CountDownLatch l = g.stuck;
    boolean interrupted = false;
    while (l != null && l.getCount() > 0) {
      try {
        l.await();
      } catch (InterruptedException e) {
        interrupted = true; // a native call goes on; the flag is kept for the caller
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new Utilization(g.util, g.memUtil);
  }

  @Override
  public Memory memory(Device d) {
    Gpu g = gpu(d);
    return new Memory(g.memTotal, 0, g.memTotal - g.memUsed, g.memUsed);
  }

  @Override
  public int powerMilliwatts(Device d) {
    return gpu(d).powerMw;
  }

  @Override
  public int powerLimitMilliwatts(Device d) {
    return 700_000;
  }

  @Override
  public long energyMillijoules(Device d) {
    return gpu(d).energyMj;
  }

  @Override
  public int temperature(Device d) {
    return gpu(d).temperature;
  }

  @Override
  public int clockMhz(Device d, Clock clock) {
    gpu(d);
    return clock == Clock.MEMORY ? 2619 : 1980;
  }

  @Override
  public long clockEventReasons(Device d) {
    return gpu(d).reasons;
  }

  @Override
  public int pcieThroughputKBps(Device d, PcieCounter counter) {
    gpu(d);
    return counter == PcieCounter.TX ? 100 : 200;
  }

  @Override
  public List<FieldValue> fieldValues(Device d, int... fieldIds) {
    gpu(d);
    List<FieldValue> out = new ArrayList<>();
    for (int id : fieldIds) {
      out.add(new FieldValue(id, 0, 0, NvmlReturn.ERROR_NOT_SUPPORTED, 0));
    }
    return out;
  }

  @Override
  public List<Process> computeProcesses(Device d) {
    return gpu(d).processes;
  }

  @Override
  public List<ProcessSample> processUtilization(Device d, long lastSeenUs) {
    Gpu g = gpu(d);
    if (g.noProcessUtilization || g.parent != null) {
      throw unsupported();
    }
    // as the driver does: samples of the time since the last call, each stamped now
    long now = Math.max(lastSeenUs + 1, System.currentTimeMillis() * 1000);
    return g.samples.stream()
        .map(s -> new ProcessSample(s.pid(), now, s.sm(), s.memory(), s.encoder(), s.decoder()))
        .toList();
  }

  @Override
  public MigMode migMode(Device d) {
    Gpu g = gpu(d);
    if (g.parent != null) {
      throw unsupported();
    }
    int on = g.mig.isEmpty() ? 0 : 1;
    return new MigMode(on, on);
  }

  @Override
  public int maxMigDeviceCount(Device d) {
    return 7;
  }

  @Override
  public Optional<Device> migDevice(Device d, int index) {
    Gpu g = gpu(d);
    return index < g.mig.size() ? Optional.of(handle(g.mig.get(index))) : Optional.empty();
  }

  @Override
  public int gpuInstanceId(Device d) {
    return gpu(d).gi;
  }

  @Override
  public int computeInstanceId(Device d) {
    return 0;
  }

  @Override
  public long eventSetCreate() {
    return 1;
  }

  @Override
  public void registerEvents(long set, Device d, long types) {}

  @Override
  public Optional<Event> eventWait(long set, int timeoutMs) {
    try {
      return Optional.ofNullable(events.poll(timeoutMs, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void eventSetFree(long set) {}

  @Override
  public void close() {
    closed = true;
  }
}
