package dev.aiprof.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pure parsers on inline text: the shapes the kernel writes, and the edges. */
class ParsersTest {
  @Test
  void cpuNumbersComeFromTheLineNotItsPosition() {
    CpuTimes t =
        CpuTimes.parse(
            "cpu  30 0 3 300 0 0 0 0 0 0\n"
                + "cpu0 10 0 1 100 0 0 0 0 0 0\n"
                + "cpu2 20 1 2 200 3 4 5 6 7 8\n"
                + "intr 5 1 2\nbtime 1764979200\n");
    assertThat(t.cpus()).extracting(CpuTimes.Cpu::number).containsExactly(0, 2);
    CpuTimes.Cpu two = t.cpus().get(1);
    assertThat(two.seconds(CpuTimes.Mode.USER)).isEqualTo(0.2);
    assertThat(two.seconds(CpuTimes.Mode.STEAL)).isEqualTo(0.06);
    assertThat(two.total()).as("guest is inside user: not added").isEqualTo(241);
    assertThat(t.bootTime()).isEqualTo(1764979200L);
  }

  @Test
  void anOldKernelsShortCpuLineHasZerosForWhatItLacks() {
    CpuTimes t = CpuTimes.parse("cpu0 1 2 3 4\n");
    assertThat(t.cpus().get(0).ticks()).containsExactly(1, 2, 3, 4, 0, 0, 0, 0);
  }

  @Test
  void usedMemoryIsTotalLessAvailableOrTheOldFormulaWithout() {
    Memory m =
        Memory.parse(
            "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\n"
                + "Cached: 300 kB\nSwapCached: 7 kB\nSReclaimable: 20 kB\nSUnreclaim: 5 kB\n");
    assertThat(m.used()).isEqualTo(400 * 1024);
    assertThat(m.cached()).as("Cached, not SwapCached").isEqualTo(300 * 1024);
    Memory old =
        Memory.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 300 kB\n");
    assertThat(old.available()).isEqualTo(-1);
    assertThat(old.used()).isEqualTo(550 * 1024);
  }

  @Test
  void minorFaultsAreAllFaultsLessMajor() {
    Paging p = Paging.parse("pgfault 1000\npgmajfault 10\npswpin 3\npswpout 4\npgpgin 99\n");
    assertThat(p.minorFaults()).isEqualTo(990);
    assertThat(p.swapIns()).isEqualTo(3);
    assertThat(p.swapOuts()).isEqualTo(4);
  }

  @Test
  void diskSectorsAre512BytesAndShortLinesAreSkipped() {
    DiskStats d =
        DiskStats.parse(
            " 259       0 nvme0n1 10 2 8 7 20 3 16 9 1 30 40 0 0 0 0 5 6\n"
                + "   8       0 sda 1 2 3\n");
    assertThat(d.disks()).hasSize(1);
    DiskStats.Disk n = d.disks().get(0);
    assertThat(n.readBytes()).isEqualTo(8 * 512);
    assertThat(n.writeBytes()).isEqualTo(16 * 512);
    assertThat(n.readMs()).isEqualTo(7);
    assertThat(n.writeMs()).isEqualTo(9);
    assertThat(n.ioMs()).as("field 13, after in-flight").isEqualTo(30);
  }

  @Test
  void netDevSkipsTheHeaderAndReadsNamesGluedToTheirNumbers() {
    NetDev n =
        NetDev.parse(
            "Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n"
                + "docker0:  1000 10 1 2 0 0 0 0  2000 20 3 4 0 0 0 0\n"
                + "eth0:5 6 0 0 0 0 0 0 7 8 0 0 0 0 0 0\n");
    assertThat(n.interfaces())
        .extracting(NetDev.Interface::name)
        .containsExactly("docker0", "eth0");
    NetDev.Interface d = n.interfaces().get(0);
    assertThat(d.rxBytes()).isEqualTo(1000);
    assertThat(d.rxErrors()).isEqualTo(1);
    assertThat(d.rxDropped()).isEqualTo(2);
    assertThat(d.txBytes()).isEqualTo(2000);
    assertThat(d.txErrors()).isEqualTo(3);
    assertThat(d.txDropped()).isEqualTo(4);
    assertThat(n.interfaces().get(1).rxBytes()).isEqualTo(5);
  }

  @Test
  void mountPathsAreUnescapedAndTheModeIsTheFirstOption() {
    Mounts m =
        Mounts.parse(
            "/dev/sdb1 /mnt/my\\040data ext4 ro,relatime 0 0\nnone /x\\134y tmpfs rw 0 0\nbad\n");
    assertThat(m.mounts()).hasSize(2);
    assertThat(m.mounts().get(0).mountPoint()).isEqualTo("/mnt/my data");
    assertThat(m.mounts().get(0).mode()).isEqualTo("ro");
    assertThat(m.mounts().get(1).mountPoint()).isEqualTo("/x\\y");
    assertThat(m.mounts().get(1).mode()).isEqualTo("rw");
  }
}
