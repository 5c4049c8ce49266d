package dev.aiprof.host;

import static dev.aiprof.host.HostMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.pipeline.CollectorStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The collector on the {@code gpu-node} tree, in the real pipeline, OSHI pointed at the tree (this
 * class has its own JVM: OSHI's paths are set once per JVM).
 */
class GpuNodeTest {
  static HostRun run(Map<String, String> settings) {
    return new HostRun(
        HostTrees.paths("gpu-node"),
        new RecordedStatFs(HostTrees.tree("gpu-node")),
        true,
        settings);
  }

  @Test
  void cpusAreNumberedAsTheKernelNumbersThemWithOneOffline() {
    try (HostRun r = run(Map.of())) {
      assertThat(r.status().state()).isEqualTo(CollectorStatus.State.RUNNING);
      Recorded m = r.tickAndCollect();
      assertThat(m.values(CPU_TIME.name(), CPU_NUMBER)).hasSize(15).doesNotContain(13L);
      // cpu14's line: user 100000 + 14*1000 ticks
      assertThat(m.value(CPU_TIME.name(), CPU_NUMBER, 14L, CPU_MODE, "user")).contains(1140.0);
      assertThat(m.value(CPU_TIME.name(), CPU_NUMBER, 14L, CPU_MODE, "interrupt")).contains(0.0);
      assertThat(m.value(CPU_TIME.name(), CPU_NUMBER, 14L, CPU_MODE, "softirq")).contains(4.14);
      assertThat(m.values(CPU_TIME.name(), CPU_MODE))
          .containsExactlyInAnyOrder(
              "user", "nice", "system", "idle", "iowait", "interrupt", "softirq", "steal");
      assertThat(m.value(CPU_LOGICAL.name())).as("OSHI, from the tree's cpuinfo").contains(15.0);
      assertThat(m.value(CPU_PHYSICAL.name())).as("2 sockets x 4 cores").contains(8.0);
      assertThat(r.collector.get().inventory().model())
          .isEqualTo("Intel(R) Xeon(R) Platinum 8480+");
    }
  }

  @Test
  void wholeDisksAreReportedButNotLoopDevicesNorPartitions() {
    try (HostRun r = run(Map.of())) {
      Recorded m = r.collect();
      assertThat(m.values(DISK_IO.name(), DEVICE))
          .containsExactlyInAnyOrder("nvme0n1", "nvme1n1", "sda", "dm-0");
      assertThat(m.value(DISK_IO.name(), DEVICE, "nvme0n1", DISK_DIRECTION, "read"))
          .contains(800000000.0 * 512);
      assertThat(m.value(DISK_OPERATION_TIME.name(), DEVICE, "nvme0n1", DISK_DIRECTION, "write"))
          .contains(4000.0);
      assertThat(m.value(DISK_IO_TIME.name(), DEVICE, "nvme1n1")).contains(7000.0);
      assertThat(m.value(DISK_MERGED.name(), DEVICE, "sda", DISK_DIRECTION, "write"))
          .contains(4000.0);
      assertThat(m.value(SERIES_DROPPED.name(), KIND, "disk")).contains(0.0);
    }
  }

  @Test
  void fileSystemsLeaveOutPseudoOverlayAndContainerMounts() {
    try (HostRun r = run(Map.of())) {
      Recorded m = r.collect();
      assertThat(m.values(FS_LIMIT.name(), FS_MOUNTPOINT))
          .containsExactlyInAnyOrder(
              "/", "/boot/efi", "/run", "/raid", "/mnt/scratch space", "/mnt/datasets");
      assertThat(m.value(FS_USAGE.name(), FS_MOUNTPOINT, "/", FS_STATE, "used", FS_TYPE, "ext4"))
          .contains(419000000000.0);
      assertThat(m.value(FS_USAGE.name(), FS_MOUNTPOINT, "/", FS_STATE, "reserved"))
          .contains(98000000000.0);
      assertThat(m.value(FS_USAGE.name(), FS_MOUNTPOINT, "/", FS_STATE, "free"))
          .contains(1402000000000.0);
      assertThat(m.value(FS_LIMIT.name(), FS_MOUNTPOINT, "/mnt/scratch space", FS_MODE, "ro"))
          .contains(500000000000.0);
      assertThat(m.value(FS_UTILIZATION.name(), FS_MOUNTPOINT, "/mnt/datasets", FS_TYPE, "nfs4"))
          .contains(0.6);
    }
  }

  @Test
  void interfacesLeaveOutContainerPlumbing() {
    try (HostRun r = run(Map.of())) {
      Recorded m = r.collect();
      assertThat(m.values(NET_IO.name(), INTERFACE))
          .containsExactlyInAnyOrder("lo", "eno1", "ib0", "bond0");
      assertThat(m.value(NET_DROPPED.name(), INTERFACE, "eno1", NET_DIRECTION, "receive"))
          .contains(17.0);
      assertThat(m.value(NET_DROPPED.name(), INTERFACE, "eno1", NET_DIRECTION, "transmit"))
          .contains(5.0);
      assertThat(m.value(NET_IO.name(), INTERFACE, "ib0", NET_DIRECTION, "transmit"))
          .contains(666666666666.0);
    }
  }

  @Test
  void memoryStatesFollowTheConventions() {
    try (HostRun r = run(Map.of())) {
      Recorded m = r.collect();
      double gib = 1024.0 * 1024 * 1024;
      assertThat(m.value(MEMORY_USAGE.name(), MEMORY_STATE, "used"))
          .contains((2015.5 - 1650.75) * gib);
      assertThat(m.value(MEMORY_LIMIT.name())).contains(2015.5 * gib);
      assertThat(m.value(PAGING_USAGE.name(), PAGING_STATE, "used")).contains(0.5 * gib);
      assertThat(m.value(PAGING_FAULTS.name(), FAULT_TYPE, "major")).contains(123456.0);
      assertThat(m.value(PAGING_FAULTS.name(), FAULT_TYPE, "minor"))
          .contains(55555555555.0 - 123456);
      assertThat(m.value(SLAB.name(), SLAB_STATE, "reclaimable")).contains(22 * gib);
    }
  }

  @Test
  void pastTheCapsSeriesAreLeftOutAndCounted() {
    try (HostRun r =
        run(
            Map.of(
                "host.max-devices", "2",
                "host.max-interfaces", "1",
                "host.max-filesystems", "3",
                "host.exclude-interfaces", ""))) {
      Recorded m = r.collect();
      assertThat(m.values(DISK_IO.name(), DEVICE)).hasSize(2);
      assertThat(m.value(SERIES_DROPPED.name(), KIND, "disk")).contains(2.0);
      assertThat(m.values(NET_IO.name(), INTERFACE)).containsExactly("lo");
      assertThat(m.value(SERIES_DROPPED.name(), KIND, "interface")).contains(5.0);
      assertThat(m.values(FS_LIMIT.name(), FS_MOUNTPOINT)).hasSize(3);
      assertThat(m.value(SERIES_DROPPED.name(), KIND, "filesystem")).contains(3.0);
    }
  }
}
