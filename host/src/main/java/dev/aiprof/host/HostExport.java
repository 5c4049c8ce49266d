package dev.aiprof.host;

import static dev.aiprof.host.HostMetrics.*;

import dev.aiprof.api.metrics.MetricSink;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the latest reading (and the one before it, for utilisation) into {@code system.*} series.
 * Cumulative kernel counters are counters, current values gauges. Called on the metric reader's
 * thread, one call at a time; the attribute sets of CPUs and devices are kept between calls (as
 * many as the caps allow).
 */
final class HostExport {
  private static final CpuTimes.Mode[] MODES = CpuTimes.Mode.values();
  private static final Attributes READ = Attributes.of(DISK_DIRECTION, "read");
  private static final Attributes WRITE = Attributes.of(DISK_DIRECTION, "write");
  private Attributes[][] cpuAttributes = new Attributes[0][];
  private final Map<String, Attributes[]> devices = new HashMap<>();
  private final Map<String, Attributes[]> interfaces = new HashMap<>();

  void collect(HostReading prev, HostReading cur, Inventory inventory, MetricSink sink) {
    if (inventory != null) {
      sink.gauge(CPU_LOGICAL, Attributes.empty(), inventory.logical());
      sink.gauge(CPU_PHYSICAL, Attributes.empty(), inventory.physical());
    }
    if (cur.cpu() != null) {
      cpu(prev == null ? null : prev.cpu(), cur.cpu(), sink);
    }
    if (cur.memory() != null) {
      memory(cur.memory(), sink);
    }
    if (cur.paging() != null) {
      Paging p = cur.paging();
      sink.counter(PAGING_FAULTS, Attributes.of(FAULT_TYPE, "major"), p.majorFaults());
      sink.counter(PAGING_FAULTS, Attributes.of(FAULT_TYPE, "minor"), p.minorFaults());
      sink.counter(PAGING_OPERATIONS, Attributes.of(PAGING_DIRECTION, "in"), p.swapIns());
      sink.counter(PAGING_OPERATIONS, Attributes.of(PAGING_DIRECTION, "out"), p.swapOuts());
    }
    if (cur.disks() != null) {
      disks(cur, sink);
    }
    if (cur.fileSystems() != null) {
      for (HostReading.FileSystem fs : cur.fileSystems()) {
        fileSystem(fs, sink);
      }
    }
    if (cur.interfaces() != null) {
      interfaces(cur, sink);
    }
    HostReading.Over o = cur.over();
    sink.gauge(SERIES_DROPPED, Attributes.of(KIND, "disk"), o.disks());
    sink.gauge(SERIES_DROPPED, Attributes.of(KIND, "filesystem"), o.fileSystems());
    sink.gauge(SERIES_DROPPED, Attributes.of(KIND, "interface"), o.interfaces());
  }

  private void cpu(CpuTimes prev, CpuTimes cur, MetricSink sink) {
    Map<Integer, CpuTimes.Cpu> before = new HashMap<>();
    if (prev != null) {
      prev.cpus().forEach(c -> before.put(c.number(), c));
    }
    for (CpuTimes.Cpu c : cur.cpus()) {
      Attributes[] a = cpuAttributes(c.number());
      for (CpuTimes.Mode m : MODES) {
        sink.counter(CPU_TIME, a[m.ordinal()], c.seconds(m));
      }
      CpuTimes.Cpu b = before.get(c.number());
      long total = b == null ? 0 : c.total() - b.total();
      if (total > 0) {
        for (CpuTimes.Mode m : MODES) {
          long d = c.ticks()[m.ordinal()] - b.ticks()[m.ordinal()];
          sink.gauge(CPU_UTILIZATION, a[m.ordinal()], Math.max(0, d) / (double) total);
        }
      }
    }
  }

  private Attributes[] cpuAttributes(int cpu) {
    if (cpu >= cpuAttributes.length) {
      Attributes[][] grown = new Attributes[Math.max(cpu + 1, cpuAttributes.length * 2)][];
      System.arraycopy(cpuAttributes, 0, grown, 0, cpuAttributes.length);
      cpuAttributes = grown;
    }
    Attributes[] a = cpuAttributes[cpu];
    if (a == null) {
      a = new Attributes[MODES.length];
      for (CpuTimes.Mode m : MODES) {
        a[m.ordinal()] = Attributes.of(CPU_MODE, m.value, CPU_NUMBER, (long) cpu);
      }
      cpuAttributes[cpu] = a;
    }
    return a;
  }

  private static void memory(Memory m, MetricSink sink) {
    sink.gauge(MEMORY_LIMIT, Attributes.empty(), m.total());
    state(MEMORY_USAGE, MEMORY_UTILIZATION, MEMORY_STATE, "used", m.used(), m.total(), sink);
    state(MEMORY_USAGE, MEMORY_UTILIZATION, MEMORY_STATE, "free", m.free(), m.total(), sink);
    state(MEMORY_USAGE, MEMORY_UTILIZATION, MEMORY_STATE, "cached", m.cached(), m.total(), sink);
    state(MEMORY_USAGE, MEMORY_UTILIZATION, MEMORY_STATE, "buffers", m.buffers(), m.total(), sink);
    sink.gauge(MEMORY_SHARED, Attributes.empty(), m.shared());
    if (m.available() >= 0) {
      sink.gauge(MEMORY_AVAILABLE, Attributes.empty(), m.available());
    }
    sink.gauge(SLAB, Attributes.of(SLAB_STATE, "reclaimable"), m.slabReclaimable());
    sink.gauge(SLAB, Attributes.of(SLAB_STATE, "unreclaimable"), m.slabUnreclaimable());
    long swapUsed = Math.max(0, m.swapTotal() - m.swapFree());
    sink.gauge(PAGING_USAGE, Attributes.of(PAGING_STATE, "used"), swapUsed);
    sink.gauge(PAGING_USAGE, Attributes.of(PAGING_STATE, "free"), m.swapFree());
    if (m.swapTotal() > 0) {
      sink.gauge(
          PAGING_UTILIZATION,
          Attributes.of(PAGING_STATE, "used"),
          swapUsed / (double) m.swapTotal());
      sink.gauge(
          PAGING_UTILIZATION,
          Attributes.of(PAGING_STATE, "free"),
          m.swapFree() / (double) m.swapTotal());
    }
  }

  private static void state(
      dev.aiprof.api.metrics.MetricId usage,
      dev.aiprof.api.metrics.MetricId utilization,
      io.opentelemetry.api.common.AttributeKey<String> key,
      String state,
      long bytes,
      long total,
      MetricSink sink) {
    Attributes a = Attributes.of(key, state);
    sink.gauge(usage, a, bytes);
    if (total > 0) {
      sink.gauge(utilization, a, bytes / (double) total);
    }
  }

  private void disks(HostReading cur, MetricSink sink) {
    Map<String, Attributes[]> keep = new HashMap<>();
    for (DiskStats.Disk d : cur.disks()) {
      Attributes[] a = devices.get(d.name());
      if (a == null) {
        Attributes dev = Attributes.of(DEVICE, d.name());
        a =
            new Attributes[] {
              dev, dev.toBuilder().putAll(READ).build(), dev.toBuilder().putAll(WRITE).build()
            };
      }
      keep.put(d.name(), a);
      sink.counter(DISK_IO, a[1], d.readBytes());
      sink.counter(DISK_IO, a[2], d.writeBytes());
      sink.counter(DISK_OPERATIONS, a[1], d.reads());
      sink.counter(DISK_OPERATIONS, a[2], d.writes());
      sink.counter(DISK_OPERATION_TIME, a[1], d.readMs() / 1e3);
      sink.counter(DISK_OPERATION_TIME, a[2], d.writeMs() / 1e3);
      sink.counter(DISK_MERGED, a[1], d.readsMerged());
      sink.counter(DISK_MERGED, a[2], d.writesMerged());
      sink.counter(DISK_IO_TIME, a[0], d.ioMs() / 1e3);
    }
    devices.clear();
    devices.putAll(keep);
  }

  private static void fileSystem(HostReading.FileSystem fs, MetricSink sink) {
    Mounts.Mount m = fs.mount();
    StatFs.Space s = fs.space();
    Attributes a =
        Attributes.builder()
            .put(DEVICE, m.device())
            .put(FS_MODE, m.mode())
            .put(FS_MOUNTPOINT, m.mountPoint())
            .put(FS_TYPE, m.type())
            .build();
    sink.gauge(FS_LIMIT, a, s.total());
    sink.gauge(FS_USAGE, a.toBuilder().put(FS_STATE, "used").build(), s.used());
    sink.gauge(FS_USAGE, a.toBuilder().put(FS_STATE, "free").build(), s.available());
    sink.gauge(FS_USAGE, a.toBuilder().put(FS_STATE, "reserved").build(), s.reserved());
    sink.gauge(FS_UTILIZATION, a, s.used() / (double) s.total());
  }

  private void interfaces(HostReading cur, MetricSink sink) {
    Map<String, Attributes[]> keep = new HashMap<>();
    for (NetDev.Interface i : cur.interfaces()) {
      Attributes[] a = interfaces.get(i.name());
      if (a == null) {
        a =
            new Attributes[] {
              Attributes.of(INTERFACE, i.name(), NET_DIRECTION, "receive"),
              Attributes.of(INTERFACE, i.name(), NET_DIRECTION, "transmit")
            };
      }
      keep.put(i.name(), a);
      sink.counter(NET_IO, a[0], i.rxBytes());
      sink.counter(NET_IO, a[1], i.txBytes());
      sink.counter(NET_PACKETS, a[0], i.rxPackets());
      sink.counter(NET_PACKETS, a[1], i.txPackets());
      sink.counter(NET_ERRORS, a[0], i.rxErrors());
      sink.counter(NET_ERRORS, a[1], i.txErrors());
      sink.counter(NET_DROPPED, a[0], i.rxDropped());
      sink.counter(NET_DROPPED, a[1], i.txDropped());
    }
    interfaces.clear();
    interfaces.putAll(keep);
  }
}
