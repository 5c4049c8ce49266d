package dev.aiprof.host;

import static dev.aiprof.host.HostMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.management.OperatingSystemMXBean;
import dev.aiprof.api.HostPaths;
import dev.aiprof.pipeline.CollectorStatus;
import dev.aiprof.testing.Requires;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The collector on this machine's own /proc and /sys, each value checked against a second account
 * the kernel keeps (sysfs statistics, /proc/uptime, sysinfo, {@code stat -f}). Counters that move
 * are bracketed by a reading before and one after. Root: init's mounts and root ({@code /proc/1}).
 */
@Requires(root = true, tools = "stat")
class ThisHostTest {
  static final Path SYS_NET = Path.of("/sys/class/net");

  static HostRun run() {
    return new HostRun(
        HostPaths.defaults(),
        new LibcStatFs(),
        true,
        // this build machine's PID 1 sits in a network namespace of its own: read the agent's
        Map.of("host.network-namespace", "self"));
  }

  static long number(Path file) throws Exception {
    return Long.parseLong(Files.readString(file).strip().split("\\s+")[0]);
  }

  @Test
  void networkBytesAgreeWithSysfsStatistics() throws Exception {
    try (HostRun r = run()) {
      assertThat(r.status().state()).isEqualTo(CollectorStatus.State.RUNNING);
      String ifc = "lo";
      long before = number(SYS_NET.resolve(ifc).resolve("statistics/rx_bytes"));
      Recorded m = r.tickAndCollect();
      long after = number(SYS_NET.resolve(ifc).resolve("statistics/rx_bytes"));
      double got = m.value(NET_IO.name(), INTERFACE, ifc, NET_DIRECTION, "receive").orElseThrow();
      assertThat(got).isBetween((double) before, (double) after);
    }
  }

  @Test
  void diskBytesAgreeWithTheBlockDevicesOwnStat() throws Exception {
    try (HostRun r = run()) {
      List<String> disks = r.collect().values(DISK_IO.name(), DEVICE);
      assertThat(disks).isNotEmpty().noneMatch(d -> d.startsWith("loop"));
      String disk = disks.get(0);
      Path stat = Path.of("/sys/block", disk, "stat");
      long before = Long.parseLong(Files.readString(stat).strip().split("\\s+")[6]) * 512;
      Recorded m = r.tickAndCollect();
      long after = Long.parseLong(Files.readString(stat).strip().split("\\s+")[6]) * 512;
      double got = m.value(DISK_IO.name(), DEVICE, disk, DISK_DIRECTION, "write").orElseThrow();
      assertThat(got).isBetween((double) before, (double) after);
    }
  }

  @Test
  void eachCpusTimeAddsUpToTheTimeSinceBoot() throws Exception {
    try (HostRun r = run()) {
      Recorded m = r.tickAndCollect();
      double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
      double cpu0 =
          m.of(CPU_TIME.name()).stream()
              .filter(s -> Long.valueOf(0).equals(s.attributes().get(CPU_NUMBER)))
              .mapToDouble(Recorded.Series::value)
              .sum();
      assertThat(cpu0).isCloseTo(uptime, within(uptime * 0.02 + 1));
      String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
      assertThat(m.values(CPU_TIME.name(), CPU_NUMBER)).hasSize(count(online));
      assertThat(m.value(CPU_LOGICAL.name())).contains((double) count(online));
    }
  }

  @Test
  void memoryTotalIsWhatSysinfoSays() {
    try (HostRun r = run()) {
      OperatingSystemMXBean os =
          (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      assertThat(r.collect().value(MEMORY_LIMIT.name())).contains((double) os.getTotalMemorySize());
    }
  }

  @Test
  void theRootFileSystemAgreesWithStatF() throws Exception {
    try (HostRun r = run()) {
      Recorded m = r.collect();
      Process p = new ProcessBuilder("stat", "-f", "-c", "%b %f %a %S", "/").start();
      String[] f = new String(p.getInputStream().readAllBytes()).strip().split(" ");
      assertThat(p.waitFor()).isZero();
      long unit = Long.parseLong(f[3]);
      double total = Long.parseLong(f[0]) * unit;
      double used = (Long.parseLong(f[0]) - Long.parseLong(f[1])) * unit;
      assertThat(m.value(FS_LIMIT.name(), FS_MOUNTPOINT, "/")).contains(total);
      assertThat(m.value(FS_USAGE.name(), FS_MOUNTPOINT, "/", FS_STATE, "used").orElseThrow())
          .isCloseTo(used, within(total * 0.01));
    }
  }

  /**
   * Prints what one reading and one collection cost on this machine (CPU time and heap allocated by
   * the calling thread, the median of 50 after 50 to warm up); nothing is asserted on the numbers.
   */
  @Test
  void oneReadingsCostIsPrinted() {
    com.sun.management.ThreadMXBean t =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (HostRun r = run()) {
      HostCollector c = r.collector.get();
      long[][] read = new long[2][50];
      long[][] collect = new long[2][50];
      for (int i = -50; i < 50; i++) {
        long cpu = t.getCurrentThreadCpuTime();
        long bytes = t.getCurrentThreadAllocatedBytes();
        c.tick();
        long cpu1 = t.getCurrentThreadCpuTime();
        long bytes1 = t.getCurrentThreadAllocatedBytes();
        c.collect(dev.aiprof.api.metrics.MetricSink.NONE);
        if (i >= 0) {
          read[0][i] = cpu1 - cpu;
          read[1][i] = bytes1 - bytes;
          collect[0][i] = t.getCurrentThreadCpuTime() - cpu1;
          collect[1][i] = t.getCurrentThreadAllocatedBytes() - bytes1;
        }
      }
      System.out.printf(
          "host collector on this machine: one reading %.0f us CPU, %d KiB allocated;"
              + " one collection %.0f us CPU, %d KiB allocated (medians of 50)%n",
          median(read[0]) / 1e3,
          median(read[1]) / 1024,
          median(collect[0]) / 1e3,
          median(collect[1]) / 1024);
      assertThat(median(read[1])).isPositive();
    }
  }

  static long median(long[] v) {
    long[] s = v.clone();
    java.util.Arrays.sort(s);
    return s[s.length / 2];
  }

  /** How many CPUs a sysfs CPU list ("0-3,5") names. */
  static int count(String list) {
    int n = 0;
    for (String part : list.split(",")) {
      String[] r = part.split("-");
      n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
    }
    return n;
  }
}
