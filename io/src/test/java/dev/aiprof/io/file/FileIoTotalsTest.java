package dev.aiprof.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiprof.api.follow.ProcessKey;
import dev.aiprof.api.metrics.Log2Histogram;
import dev.aiprof.bpf.fileio.FileIoAbi;
import dev.aiprof.bpf.fileio.FileIoCause;
import dev.aiprof.bpf.fileio.FileIoStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workload totals stay monotonic when the kernel forgets exited processes; bounds count. */
class FileIoTotalsTest {
  @Test
  void anExitedProcessStaysInItsWorkloadsTotalsAndInTheProcessList() {
    FileIoTotals t = new FileIoTotals(8, 8);
    FileIoStats a = stats(5, 100, 1000);
    FileIoStats b = stats(5, 101, 10);
    t.refresh(List.of(a, b));
    assertThat(t.workloads().get(new FileIoTotals.Workload(5, 0)).readBytes).isEqualTo(1010);
    t.exited(a);
    t.refresh(List.of(b)); // the kernel no longer has a
    FileIoValues w = t.workloads().get(new FileIoTotals.Workload(5, 0));
    assertThat(w.readBytes).as("never goes back").isEqualTo(1010);
    assertThat(w.hist[3]).isEqualTo(2);
    assertThat(w.pages(FileIoCause.READAHEAD)).isEqualTo(14);
    assertThat(t.processes()).containsKeys(FileIoTotals.Proc.of(a), FileIoTotals.Proc.of(b));
  }

  @Test
  void boundsDropWorkloadsAndForgetTheOldestExitedProcess() {
    FileIoTotals t = new FileIoTotals(1, 1);
    t.exited(stats(1, 10, 1));
    t.exited(stats(2, 11, 1)); // a second workload: over the bound
    assertThat(t.dropped()).isEqualTo(1);
    assertThat(t.workloads()).containsOnlyKeys(new FileIoTotals.Workload(1, 0));
    assertThat(t.processes()).containsOnlyKeys(new FileIoTotals.Proc(2, 0, new ProcessKey(11, 0)));
  }

  @Test
  void aReusedPidIsAnotherProcessWithValuesOfItsOwn() {
    FileIoTotals t = new FileIoTotals(8, 8);
    FileIoStats old = stats(5, 100, 0, 1000);
    FileIoStats reused = stats(5, 100, 3_000_000_000L, 10); // the pid again, 3 s later
    t.refresh(List.of(old, reused));
    assertThat(t.processes())
        .as("one pid, two processes")
        .containsOnlyKeys(FileIoTotals.Proc.of(old), FileIoTotals.Proc.of(reused));
    assertThat(t.processes().get(FileIoTotals.Proc.of(reused)).readBytes).isEqualTo(10);
    t.exited(old);
    t.refresh(List.of(reused));
    assertThat(t.processes().get(FileIoTotals.Proc.of(reused)).readBytes)
        .as("the new process inherits nothing")
        .isEqualTo(10);
    assertThat(t.processes().get(FileIoTotals.Proc.of(old)).readBytes).isEqualTo(1000);
    assertThat(t.workloads().get(new FileIoTotals.Workload(5, 0)).readBytes).isEqualTo(1010);
  }

  @Test
  void differencesOverAWindow() {
    FileIoValues before = FileIoValues.of(stats(1, 1, 100));
    FileIoValues after = FileIoValues.of(stats(1, 1, 300));
    FileIoValues d = after.minus(before);
    assertThat(d.readBytes).isEqualTo(200);
    assertThat(d.misses()).isZero();
    assertThat(d.isEmpty()).isTrue(); // the same reads and pages: only bytes moved
    assertThat(FileIoReportSection.bytes(20_000_000)).isEqualTo("19.1 MiB");
    assertThat(FileIoReportSection.micros(1500)).isEqualTo("2 µs");
    assertThat(FileIoReportSection.micros(2_500_000)).isEqualTo("2.50 ms");
  }

  private static FileIoStats stats(long cgroup, int pid, long readBytes) {
    return stats(cgroup, pid, 0, readBytes);
  }

  private static FileIoStats stats(long cgroup, int pid, long startNs, long readBytes) {
    long[] hist = new long[FileIoAbi.HIST_SLOTS];
    hist[3] = 1;
    long[] pages = new long[FileIoAbi.CAUSES];
    pages[FileIoCause.READAHEAD.code()] = 7;
    return new FileIoStats(
        cgroup, 0, pid, startNs, new Log2Histogram(hist), 1, readBytes, 50, 0, 0, 0, pages, 0, 0);
  }
}
