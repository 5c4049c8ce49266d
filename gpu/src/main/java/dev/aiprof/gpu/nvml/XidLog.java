package dev.aiprof.gpu.nvml;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every XID seen: a count per (device, code), and the latest {@link #CAPACITY} events with their
 * times for the phases' span events. Bounded: at most {@link #MAX_SERIES} (device, code) counts;
 * XIDs past it are counted as overflow. Thread-safe.
 */
final class XidLog {
  static final int CAPACITY = 1024;
  static final int MAX_SERIES = 4096;

  /** One XID: when (monotonic), on which device, which code. */
  record Xid(long monoNs, GpuDevice device, long code) {}

  record Key(GpuDevice device, long code) {}

  private final ArrayDeque<Xid> recent = new ArrayDeque<>();
  private final Map<Key, Long> counts = new HashMap<>();
  private final Map<GpuDevice, Long> last = new HashMap<>(); // devices: a fixed set
  private long overflow;

  synchronized void record(Xid x) {
    if (recent.size() == CAPACITY) {
      recent.removeFirst();
    }
    recent.addLast(x);
    last.put(x.device(), x.code());
    Key k = new Key(x.device(), x.code());
    if (counts.containsKey(k) || counts.size() < MAX_SERIES) {
      counts.merge(k, 1L, Long::sum);
    } else {
      overflow++;
    }
  }

  synchronized Map<Key, Long> counts() {
    return Map.copyOf(counts);
  }

  synchronized long overflow() {
    return overflow;
  }

  /** The code of the latest XID of {@code device}, 0 when none. */
  synchronized long last(GpuDevice device) {
    return last.getOrDefault(device, 0L);
  }

  /** The XIDs on {@code device} (or its MIG devices' parent) in [start, end]. */
  synchronized List<Xid> between(String deviceUuid, long startNs, long endNs) {
    List<Xid> out = new ArrayList<>();
    for (Xid x : recent) {
      if (x.monoNs() >= startNs && x.monoNs() <= endNs && x.device().uuid().equals(deviceUuid)) {
        out.add(x);
      }
    }
    return out;
  }
}
